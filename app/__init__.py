"""Backprop Visualizer: step through backpropagation in matrix form, one matrix at a time."""
