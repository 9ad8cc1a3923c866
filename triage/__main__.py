import sys

from triage.training.cli import main

sys.exit(main())
