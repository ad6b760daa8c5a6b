"""A Jupyter kernel for gradsh (`pip install 'gradsh[jupyter]'`, then
`gradsh --install-kernel`): notebooks and `jupyter console` run `.grad` cells in the REPL's
session. See docs/jupyter.md."""
