"""Everything that touches files: reading inputs, writing templates and results."""
