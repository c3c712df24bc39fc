"""Source kinds: one module each. `open_target` picks the right one for a target."""
