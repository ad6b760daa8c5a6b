"""torch.nn's modules, built on the core's ops; gradsh/nn re-exports them, loading each file on
first use (importing every layer up front would add to every program's start-up)."""
