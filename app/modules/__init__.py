"""The seven back-office modules, each a package of the same shape."""
