"""torch.optim's optimisers and schedulers; gradsh/optim re-exports them on first use."""
