"""Training of triage models: fitting, metrics, promotion, reports and the command line.

Only needed to train or evaluate (``python -m triage ...``, ``manage.py train_triage``); the request
path (``import triage; triage.classify``) never imports this package, so a runtime install without the
``[train]`` extra (matplotlib, tqdm) serves reports. Modules:

- ``data``: labelled reports, their hash, the grouped held-out split;
- ``fit``: the training config and fitting of the features and both heads;
- ``metrics``: held-out metrics of a model + the safety rules;
- ``train``: split, fit, evaluate, write a version; ``promote``: make it active if not worse;
- ``compare``: cross-validated comparisons of configs and of data versions;
- ``external``: the external evaluation sets; ``report``: the model card and confusion PNG;
- ``cli``: ``python -m triage train|evaluate|independent|classify|compare|compare-writers|compare-data``.
"""
