"""nnlib: the small numpy library behind the executable textbook on neural networks.

Modules (one idea each):

- :mod:`nnlib.activations`: sigma and sigma' (step, sigmoid, tanh, ReLU, Leaky ReLU, ELU,
  softmax, Maxout, identity) and their properties.
- :mod:`nnlib.costs`: quadratic, cross-entropy and log-likelihood costs, and BP1.
- :mod:`nnlib.network`: a fully connected network; feed-forward and backpropagation (BP1-BP4).
- :mod:`nnlib.train`: mini-batch SGD with L2, learning-rate schedules and dropout.
- :mod:`nnlib.init`: weight initialisation schemes.
- :mod:`nnlib.gradcheck`: central-difference gradient checks.
- :mod:`nnlib.datasets`: seeded toy data sets and the 8x8 digits.
- :mod:`nnlib.plots`: the book's figures.
- :mod:`nnlib.widgets`: interactive figures, live in JupyterLab and static in the HTML book.
- :mod:`nnlib.timing`: timing code the one way the chapters and benchmarks do.

Layout: examples are columns; ``net.w[l]`` has shape (n_l, n_{l-1}), so ``w @ a + b``
reads as w^l a^{l-1} + b^l.
"""

from . import activations, costs, datasets, gradcheck, init, plots, timing, train, widgets
from .activations import get_activation, sigmoid, sigmoid_prime, softmax
from .costs import get_cost, one_hot
from .network import Gradients, Network, Trace
from .train import History, TrainingWarning, sgd

__version__ = "0.1.0"

__all__ = [
    "activations", "costs", "datasets", "gradcheck", "init", "plots", "timing", "train", "widgets",
    "Network", "Trace", "Gradients", "History", "TrainingWarning", "sgd", "get_activation", "get_cost", "one_hot",
    "sigmoid", "sigmoid_prime", "softmax",
]
