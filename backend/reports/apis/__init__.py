"""HTTP: thin views that parse input, call a service or a selector, and shape the output."""
