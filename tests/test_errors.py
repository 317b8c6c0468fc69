"""Bad input gets a clear ValueError/TypeError that names the argument and says what was
expected. Each case pins its message."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest
from conftest import classifier, xor_net

import nnlib as nn
from nnlib import datasets as ds
from nnlib import plots
from nnlib.activations import ELU, LeakyReLU, Maxout, Softmax, get_activation
from nnlib.gradcheck import check_deltas, check_network, numerical_delta, numerical_gradient, relative_error
from nnlib.timing import times
from nnlib.train import step_decay
from nnlib.widgets import choice, interactive, slider

_clf = classifier        # the 2-3-2 softmax classifier
_bin = xor_net           # the 2-3-1 sigmoid network with the cross-entropy cost


X = np.zeros((2, 4))
Y4 = np.array([0, 1, 1, 0])
BAD_X = np.array([[0.0, np.nan, 1.0, 2.0], [0.0, 1.0, 1.0, 0.0]])
W1, B1 = np.zeros((3, 2)), np.zeros(3)          # layer 1 of a 2-3-1 network
W2, B2 = np.zeros((1, 3)), np.zeros(1)          # its layer 2


def _sgd(net=None, x=X, y=Y4, **kw):
    args = dict(eta=0.1, epochs=1, batch_size=2)
    args.update(kw)
    return nn.sgd(net or _clf(), x, y, **args)


def _out_is_w():
    """``backward`` told to write the gradients into the network's own weights."""
    net = _clf()
    grads = net.backward(net.forward(X), Y4)
    grads.nabla_w = list(net.w)
    return net.backward(net.forward(X), Y4, out=grads)


def _load(write):
    """``Network.load`` of a file that ``write(path)`` made, in a directory removed after."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "net.npz")
        write(path)
        return nn.Network.load(path)


def _write_text(path):
    with open(path, "w") as f:
        f.write("w1 = [[1, 2], [3, 4]]\n")


def _float32():
    return xor_net(dtype="float32")


def _plot(ax, w):
    ax.plot([0, 1], [0, w])


CASES = [
    # --- x: shape and values
    ("x 3-D", lambda: _clf().feedforward(np.zeros((2, 4, 1))), ValueError,
     r"x must be 1-D or 2-D, got an array of shape \(2, 4, 1\)"),
    ("x wrong rows", lambda: _clf().feedforward(np.zeros((3, 4))), ValueError,
     r"x must have 2 rows \(one per input neuron; examples are columns\), got shape \(3, 4\)"),
    ("x examples as rows", lambda: _clf().backprop(np.zeros((4, 2)), Y4), ValueError,
     r"x must have 2 rows \(one per input neuron; examples are columns\), got shape \(4, 2\): it looks "
     r"like one example per row; pass x\.T \(shape \(2, 4\)\)"),
    ("x examples as rows (sgd)", lambda: _sgd(x=np.zeros((4, 2))), ValueError,
     r"got shape \(4, 2\): it looks like one example per row; pass x\.T \(shape \(2, 4\)\)"),
    ("x complex", lambda: _clf().feedforward(np.ones((2, 4), dtype=complex)), TypeError,
     r"x must hold real numbers, got complex values \(pass x\.real if the imaginary parts are zero\)"),
    ("x complex (sgd)", lambda: _sgd(x=X + 0j), TypeError, r"x must hold real numbers, got complex values"),
    ("x with nan", lambda: _clf().feedforward(BAD_X), ValueError,
     r"x must contain only finite numbers \(no nan or inf\)"),
    ("x with inf", lambda: _sgd(x=np.full((2, 4), np.inf)), ValueError, r"x must contain only finite numbers"),
    ("x a string", lambda: _clf().feedforward("1, 2"), TypeError, r"x must be an array of numbers, got str"),
    ("x ragged", lambda: _clf().feedforward([[1.0, 2.0], [3.0]]), TypeError, r"x must be an array of numbers"),
    ("x empty", lambda: _clf().feedforward(np.zeros((2, 0))), ValueError, r"x must not be empty"),
    ("x single example for sgd", lambda: _sgd(x=np.zeros(2), y=1), ValueError,
     r"x must be 2-D \(n_0, n\) with examples as columns, got shape \(2,\)"),
    # --- y: shapes, counts, values
    ("y labels count != x", lambda: _clf().backprop(X, [0, 1, 1]), ValueError, r"y has 3 examples but x has 4"),
    ("y columns != x", lambda: _clf().backprop(X, np.zeros((2, 5))), ValueError,
     r"y has 5 examples \(columns\) but x has 4"),
    ("y rows != outputs", lambda: _clf().backprop(X, np.zeros((3, 4))), ValueError,
     r"y must have 2 rows \(one per output neuron\), got shape \(3, 4\)"),
    ("y single example wrong length", lambda: _clf().backprop(np.zeros(2), [0.0, 1.0, 0.0]), ValueError,
     r"y must have 2 entries \(one per output neuron\), got shape \(3,\)"),
    ("y one target for a batch", lambda: _clf().backprop(X, 1), ValueError,
     r"y is a single target but x has 4 examples \(columns\)"),
    ("y 3-D", lambda: _clf().backprop(X, np.zeros((2, 4, 1))), ValueError, r"y must be 2-D, got an array of shape"),
    ("labels as a column (n, 1)", lambda: _clf().backprop(X, Y4.reshape(4, 1)), ValueError,
     r"y has shape \(4, 1\), one target per row, but examples are columns: pass y\.ravel\(\), of shape \(4,\)"),
    ("targets as a column (n, 1), one output", lambda: _sgd(net=_bin(), y=Y4.reshape(4, 1)), ValueError,
     r"y has shape \(4, 1\), one target per row, but examples are columns: pass y\.ravel\(\)"),
    ("one-hot rows (n, k)", lambda: _clf().backprop(X, nn.one_hot(Y4, 2).T), ValueError,
     r"y has shape \(4, 2\), one example per row, but examples are columns: pass y\.T, of shape \(2, 4\)"),
    ("one-hot rows of 10 classes (sgd)",
     lambda: _sgd(net=classifier([2, 3, 10]), x=np.zeros((2, 12)), y=nn.one_hot(np.arange(12) % 10, 10).T),
     ValueError, r"y has shape \(12, 10\), one example per row, but examples are columns: pass y\.T, of shape "
                 r"\(10, 12\)"),
    ("y complex targets", lambda: _bin().backprop(X, np.zeros((1, 4), dtype=complex)), TypeError,
     r"y must hold real numbers, got complex values \(pass y\.real if the imaginary parts are zero\)"),
    ("y complex labels", lambda: _clf().backprop(X, Y4 + 0j), TypeError,
     r"y must hold real numbers \(class labels\), got complex values"),
    ("y with nan", lambda: _bin().backprop(X, np.array([[0.0, np.nan, 1.0, 0.0]])), ValueError,
     r"y must contain only finite numbers \(no nan or inf\)"),
    ("y with inf (sgd)", lambda: _sgd(net=_bin(), y=np.array([[0.0, np.inf, 1.0, 0.0]])), ValueError,
     r"y must contain only finite numbers"),
    ("labels out of range", lambda: _clf().backprop(X, [0, 1, 2, 0]), ValueError,
     r"y labels must be in 0\.\.1 \(2 classes\), got values from 0 to 2"),
    ("negative labels", lambda: _sgd(y=[0, -1, 1, 0]), ValueError, r"y labels must be in 0\.\.1"),
    ("non-integer labels", lambda: _clf().backprop(X, [0, 0.5, 1, 0]), ValueError,
     r"y labels must be whole numbers \(class indices 0\.\.1\), got 0\.5"),
    ("nan labels", lambda: _clf().backprop(X, [0, np.nan, 1, 0]), ValueError,
     r"y labels must be whole numbers \(class indices 0\.\.1\), got nan"),
    ("string labels", lambda: _clf().backprop(X, np.array(["a", "b", "a", "b"])), TypeError,
     r"y holds strings, but class labels must be integers 0\.\.1; map them first, e\.g\. "
     r"classes, y = np\.unique\(y, return_inverse=True\)"),
    ("string labels (sgd)", lambda: _sgd(y=np.array(["cat", "dog", "dog", "cat"])), TypeError,
     r"y holds strings, but class labels must be integers 0\.\.1; map them first"),
    ("y outside [0, 1] for cross-entropy", lambda: _bin().backprop(X, np.array([[0.0, 2.0, 1.0, 0.0]])),
     ValueError, r"y must lie in \[0, 1\] for cost 'cross_entropy'"),
    ("labels 0..9 for one sigmoid output", lambda: _sgd(net=_bin(), x=np.zeros((2, 10)), y=np.arange(10)),
     ValueError, r"y must lie in \[0, 1\] for cost 'cross_entropy': it looks like class labels 0\.\.9; for 10 "
                 r"classes give the network 10 outputs, with output='softmax' and cost='log_likelihood'"),
    ("y outside [0, 1] for log-likelihood", lambda: _clf().backprop(X, -np.ones((2, 4))), ValueError,
     r"y must lie in \[0, 1\] for cost 'log_likelihood'"),
    # --- the network's architecture
    ("unknown hidden activation", lambda: nn.Network([2, 3, 1], hidden="swish"), ValueError,
     r"hidden: unknown activation 'swish'; expected one of: elu, identity, leaky_relu, maxout, relu"),
    ("unknown output activation", lambda: nn.Network([2, 1], output="softplus"), ValueError,
     r"output: unknown activation 'softplus'; expected one of"),
    ("hidden not a name", lambda: nn.Network([2, 3, 1], hidden=None), TypeError,
     r"hidden: activation must be a name \(str\) or an object, got NoneType"),
    ("unknown cost", lambda: nn.Network([2, 1], cost="hinge"), ValueError,
     r"cost: unknown cost 'hinge'; expected one of: cross_entropy, log_likelihood, quadratic"),
    ("cost not a name", lambda: nn.Network([2, 1], cost=2), TypeError, r"cost: cost must be a name \(str\)"),
    ("unknown init", lambda: nn.Network([2, 1], init="glorot"), ValueError,
     r"init: unknown init 'glorot'; expected one of: he_normal, normal_scaled, standard_normal"),
    ("init returning wrong shapes", lambda: nn.Network([2, 3, 1], init=lambda o, i, r: (np.zeros((i, o)),
                                                                                      np.zeros(o))),
     ValueError, r"init's w1 for layer 1 must have shape \(3, 2\) \(3 neurons by 2 inputs\), got \(2, 3\)"),
    ("sizes empty", lambda: nn.Network([]), ValueError,
     r"sizes must list at least an input and an output layer, got \[\]"),
    ("sizes one layer", lambda: nn.Network([3]), ValueError, r"sizes must list at least an input and an output"),
    ("sizes zero", lambda: nn.Network([2, 0, 1]), ValueError,
     r"sizes must be positive \(at least one neuron per layer\), got \[2, 0, 1\]"),
    ("sizes negative", lambda: nn.Network([2, -3, 1]), ValueError, r"sizes must be positive"),
    ("sizes non-integer", lambda: nn.Network([2, 2.5, 1]), TypeError,
     r"sizes must contain integers, got 2\.5 in \[2, 2\.5, 1\]"),
    ("sizes a string", lambda: nn.Network("2,3,1"), TypeError,
     r"sizes must be a list of layer sizes such as \[2, 3, 1\], got '2,3,1'"),
    ("sizes with a string", lambda: nn.Network([2, "3", 1]), TypeError, r"sizes must contain integers, got '3'"),
    ("sizes a number", lambda: nn.Network(3), TypeError, r"sizes must be a list of layer sizes"),
    ("wrong hidden list length", lambda: nn.Network([2, 3, 3, 1], hidden=["relu"]), ValueError,
     r"hidden must name one activation, or one per hidden layer \(2\), got 1"),
    ("Maxout as output", lambda: nn.Network([2, 4], output=Maxout(2)), ValueError,
     r"output must not be Maxout \(use it in hidden layers\), got Maxout\(k=2\)"),
    ("cross-entropy after tanh", lambda: nn.Network([2, 1], output="tanh", cost="cross_entropy"), ValueError,
     r"cost 'cross_entropy' takes logarithms of the outputs, so it needs an output activation with "
     r"values in \[0, 1\] \(sigmoid or softmax\), got output='tanh'"),
    ("cross-entropy after identity", lambda: nn.Network([2, 1], output="identity", cost="cross_entropy"),
     ValueError, r"got output='identity'"),
    ("log-likelihood after relu", lambda: nn.Network([2, 2], output="relu", cost="log_likelihood"),
     ValueError, r"cost 'log_likelihood' takes logarithms of the outputs"),
    ("seed not an integer", lambda: nn.Network([2, 1], seed=0.5), TypeError, r"seed must be an integer, got 0\.5"),
    ("dtype int32", lambda: nn.Network([2, 1], dtype="int32"), ValueError,
     r"dtype must be one of float64, float32, got 'int32'"),
    ("dtype float16", lambda: nn.Network([2, 1], dtype=np.float16), ValueError,
     r"dtype must be one of float64, float32, got <class 'numpy\.float16'>"),
    ("dtype not a type", lambda: nn.Network([2, 1], dtype="double precision"), ValueError,
     r"dtype must be one of float64, float32, got 'double precision'"),
    # --- weights given by hand: from_weights, set_weights
    ("from_weights wrong columns", lambda: nn.Network.from_weights([W1, np.zeros((1, 4))], [B1, B2]), ValueError,
     r"weights\[2\] must have 3 columns \(one per neuron of layer 1\), got shape \(1, 4\)"),
    ("from_weights bias of the wrong length", lambda: nn.Network.from_weights([W1, W2], [np.zeros(4), B2]),
     ValueError, r"b for layer 1 must have shape \(3, 1\) or \(3,\), got \(4,\)"),
    ("from_weights bias a row", lambda: nn.Network.from_weights([W1, W2], [np.zeros((1, 3)), B2]), ValueError,
     r"b for layer 1 must have shape \(3, 1\) or \(3,\), got \(1, 3\)"),
    ("from_weights more weights than biases", lambda: nn.Network.from_weights([W1, W2], [B1]), ValueError,
     r"weights and biases must list the same number of layers \(at least one\), got 2 and 1"),
    ("from_weights no layers", lambda: nn.Network.from_weights([], []), ValueError,
     r"weights and biases must list the same number of layers \(at least one\), got 0 and 0"),
    ("from_weights one array", lambda: nn.Network.from_weights(W1, [B1]), TypeError,
     r"weights must be a list with one array per layer \(w\^1 \.\.\. w\^L\), got ndarray"),
    ("from_weights 1-D weights", lambda: nn.Network.from_weights([np.zeros(2)], [np.zeros(1)]), ValueError,
     r"weights\[1\] must be 2-D, got an array of shape \(2,\)"),
    ("from_weights Maxout rows", lambda: nn.Network.from_weights([W1, W2], [B1, B2], hidden=Maxout(2)), ValueError,
     r"weights\[1\] must have a multiple of 2 rows for Maxout\(k=2\), got shape \(3, 2\)"),
    ("from_weights hidden list length", lambda: nn.Network.from_weights([W1, W2], [B1, B2], hidden=["relu"] * 2),
     ValueError, r"hidden must name one activation, or one per hidden layer \(1\), got 2"),
    ("set_weights layer past the output", lambda: _bin().set_weights(3, w=W2), ValueError,
     r"l must be a layer index 1\.\.2, got 3"),
    ("set_weights layer 0 (the input)", lambda: _bin().set_weights(0, w=W1), ValueError,
     r"l must be a layer index 1\.\.2, got 0"),
    ("set_weights transposed w", lambda: _bin().set_weights(1, w=W1.T), ValueError,
     r"w for layer 1 must have shape \(3, 2\) \(3 neurons by 2 inputs\), got \(2, 3\)"),
    ("set_weights Maxout w", lambda: nn.Network([2, 3, 1], hidden=Maxout(2)).set_weights(1, w=W1), ValueError,
     r"w for layer 1 must have shape \(6, 2\) \(2 x 3 neurons by 2 inputs\), got \(3, 2\)"),
    ("set_weights bias of the wrong length", lambda: _bin().set_weights(1, b=np.zeros(4)), ValueError,
     r"b for layer 1 must have shape \(3, 1\) or \(3,\), got \(4,\)"),
    ("set_weights nan", lambda: _bin().set_weights(2, b=[np.nan]), ValueError,
     r"b must contain only finite numbers \(no nan or inf\)"),
    ("set_weights of nothing", lambda: _bin().set_weights(1), TypeError, r"set_weights needs w or b \(or both\)"),
    # --- save, load
    ("load a text file", lambda: _load(_write_text), ValueError,
     r"net\.npz is not a network saved by Network\.save \(not a \.npz file\)"),
    ("load an npz that is not a network", lambda: _load(lambda p: np.savez(p, w1=W1)), ValueError,
     r"net\.npz is not a network saved by Network\.save \(missing or malformed 'spec'\)"),
    ("load an npz holding a pickle", lambda: _load(lambda p: np.savez(p, spec=np.array([{}], dtype=object))),
     ValueError, r"net\.npz is not a network saved by Network\.save \(Object arrays cannot be loaded when "
                 r"allow_pickle=False\)"),
    ("load a missing file", lambda: _load(lambda p: None), FileNotFoundError, r"net\.npz"),
    # --- the forward and backward pass
    ("forward with dropout but no rng", lambda: _clf().forward(X, 0.5), TypeError,
     r"dropout needs rng, a numpy Generator that draws the masks \(rng=np\.random\.default_rng\(seed\)\), "
     r"got NoneType"),
    ("forward with a seed for rng", lambda: _clf().forward(X, 0.5, rng=0), TypeError,
     r"dropout needs rng, a numpy Generator .* got int"),
    ("forward dropout 1", lambda: _clf().forward(X, 1.0, np.random.default_rng(0)), ValueError,
     r"dropout must be in \[0, 1\), got 1\.0"),
    ("backward of an array", lambda: _clf().backward(X, Y4), TypeError,
     r"trace must be the Trace that forward\(x\) returned, got ndarray"),
    ("backward of a tuple", lambda: _clf().backward((None, [X]), Y4), TypeError,
     r"trace must be the Trace that forward\(x\) returned, got tuple"),
    ("backward with too few labels", lambda: _clf().backward(_clf().forward(X), [0, 1]), ValueError,
     r"y has 2 examples but x has 4"),
    ("backward out not Gradients", lambda: _clf().backward(_clf().forward(X), Y4, out=[None, W1]), TypeError,
     r"out must be the Gradients of an earlier backward\(\), got list"),
    ("backward out of another network", lambda: _clf().backward(
        _clf().forward(X), Y4, out=classifier([2, 5, 2]).backward(classifier([2, 5, 2]).forward(X), Y4)),
     ValueError, r"out must be the Gradients of an earlier backward\(\) on this network: its nabla_w must "
     r"hold writable float64 arrays shaped and laid out like w\[1\.\.2\], none of them w itself"),
    ("backward out laid out by rows", lambda: _clf().backward(_clf().forward(X), Y4, out=nn.network.Gradients(
        delta=[None] * 3, nabla_w=[None] + [np.ascontiguousarray(w) for w in _clf().w[1:]], nabla_b=[None] * 3)),
     ValueError, r"arrays shaped and laid out like w\[1\.\.2\]"),
    ("backward out in float32", lambda: _clf().backward(_clf().forward(X), Y4, out=_clf(dtype="float32").backward(
        _clf(dtype="float32").forward(X), Y4)), ValueError, r"must hold writable float64 arrays"),
    ("backward out that is the weights", lambda: _out_is_w(), ValueError, r"none of them w itself"),
    ("accuracy of a regression network", lambda: nn.Network([2, 1], output="identity", cost="quadratic")
     .accuracy(X, np.zeros((1, 4))), TypeError,
     r"accuracy is for classifiers, but this network has an identity output \(regression\): measure it with "
     r"total_cost\(x, y\)"),
    # --- activations
    ("Leaky ReLU alpha >= 1", lambda: LeakyReLU(1.5), ValueError,
     r"alpha must be in \(0, 1\) for Leaky ReLU, got 1\.5"),
    ("Leaky ReLU alpha <= 0", lambda: LeakyReLU(0), ValueError, r"alpha must be a positive number, got 0"),
    ("ELU negative alpha", lambda: ELU(-1.0), ValueError, r"alpha must be a positive number, got -1\.0"),
    ("Maxout k = 1", lambda: Maxout(1), ValueError, r"k \(pieces per Maxout unit\) must be at least 2, got 1"),
    ("Maxout k not an integer", lambda: Maxout(2.5), TypeError, r"k must be a positive integer, got 2\.5"),
    ("Maxout rows not a multiple of k", lambda: Maxout(3).fn(np.zeros((4, 2))), ValueError,
     r"z must have a multiple of k=3 rows for Maxout, got shape \(4, 2\)"),
    ("parameter for an activation without any", lambda: get_activation("relu", alpha=0.1), TypeError,
     r"activation 'relu' takes no parameters, got alpha"),
    ("unknown parameter", lambda: get_activation("elu", k=2), TypeError, r"activation 'elu' takes only alpha, got k"),
    ("parameters with an object", lambda: get_activation(ELU(), alpha=2.0), TypeError,
     r"parameters can only be given with an activation's name"),
    ("softmax Jacobian of a batch", lambda: Softmax().jacobian(np.zeros((3, 2))), ValueError,
     r"z must be 1-D \(one example\) for the Jacobian, got shape \(3, 2\)"),
    # --- one_hot
    ("one_hot labels out of range", lambda: nn.one_hot([0, 3], 3), ValueError,
     r"labels must be in 0\.\.2 \(3 classes\), got values from 0 to 3"),
    ("one_hot 2-D labels", lambda: nn.one_hot([[0, 1]], 2), ValueError,
     r"labels must be 1-D \(one class label per example\), got shape \(1, 2\)"),
    ("one_hot fractional labels", lambda: nn.one_hot([0.5], 2), ValueError,
     r"labels must be whole numbers \(class indices 0\.\.1\), got 0\.5"),
    ("one_hot n_classes not an integer", lambda: nn.one_hot([0], 2.5), TypeError,
     r"n_classes must be a positive integer, got 2\.5"),
    ("one_hot zero classes", lambda: nn.one_hot([0], 0), ValueError, r"n_classes must be a positive integer, got 0"),
    # --- training
    ("eta zero", lambda: _sgd(eta=0), ValueError, r"eta must be a positive number, got 0"),
    ("eta negative", lambda: _sgd(eta=-0.1), ValueError, r"eta must be a positive number, got -0\.1"),
    ("eta a string", lambda: _sgd(eta="0.1"), TypeError, r"eta must be a positive number, got '0\.1'"),
    ("epochs zero", lambda: _sgd(epochs=0), ValueError, r"epochs must be a positive integer, got 0"),
    ("epochs fractional", lambda: _sgd(epochs=2.5), TypeError, r"epochs must be a positive integer, got 2\.5"),
    ("batch_size zero", lambda: _sgd(batch_size=0), ValueError, r"batch_size must be a positive integer, got 0"),
    ("batch_size negative", lambda: _sgd(batch_size=-4), ValueError, r"batch_size must be a positive integer"),
    ("dropout 1", lambda: _sgd(dropout=1.0), ValueError, r"dropout must be in \[0, 1\), got 1\.0"),
    ("dropout negative", lambda: _sgd(dropout=-0.1), ValueError, r"dropout must be in \[0, 1\), got -0\.1"),
    ("negative lmbda", lambda: _sgd(lmbda=-1.0), ValueError, r"lmbda must be a non-negative number, got -1\.0"),
    ("negative lmbda in total_cost", lambda: _clf().total_cost(X, Y4, lmbda=-0.1), ValueError,
     r"lmbda must be a non-negative number"),
    ("non-callable schedule", lambda: _sgd(schedule=0.5), TypeError,
     r"schedule must be a function epoch -> eta, got float"),
    ("schedule giving eta <= 0", lambda: _sgd(epochs=3, schedule=lambda t: 0.1 - 0.1 * t), ValueError,
     r"schedule\(1\) must be a positive number, got 0\.0"),
    ("step_decay with factor 0", lambda: step_decay(0.1, factor=0), ValueError,
     r"factor must be a positive number, got 0"),
    ("non-callable callback", lambda: _sgd(callback="print"), TypeError,
     r"callback must be a function callback\(epoch, net, history\), got str"),
    ("validation not a pair", lambda: _sgd(validation=X), TypeError, r"validation must be a pair \(x_val, y_val\)"),
    ("validation x wrong rows", lambda: _sgd(validation=(np.zeros((3, 4)), Y4)), ValueError,
     r"validation\[0\] must have 2 rows \(one per input neuron; examples are columns\), got shape \(3, 4\)"),
    ("validation x as rows", lambda: _sgd(validation=(np.zeros((4, 2)), Y4)), ValueError,
     r"validation\[0\] must have 2 rows .* pass validation\[0\]\.T \(shape \(2, 4\)\)"),
    ("validation x with nan", lambda: _sgd(validation=(BAD_X, Y4)), ValueError,
     r"validation\[0\] must contain only finite numbers"),
    ("validation y too few labels", lambda: _sgd(validation=(X, [0, 1])), ValueError,
     r"validation\[1\] has 2 examples but validation\[0\] has 4"),
    ("validation y labels out of range", lambda: _sgd(validation=(X, [0, 1, 2, 0])), ValueError,
     r"validation\[1\] labels must be in 0\.\.1 \(2 classes\), got values from 0 to 2"),
    ("validation y one-hot rows", lambda: _sgd(validation=(X, nn.one_hot(Y4, 2).T)), ValueError,
     r"validation\[1\] has shape \(4, 2\), one example per row, but examples are columns: "
     r"pass validation\[1\]\.T, of shape \(2, 4\)"),
    ("validation y strings", lambda: _sgd(validation=(X, np.array(list("abab")))), TypeError,
     r"validation\[1\] holds strings, but class labels must be integers 0\.\.1; map them first, e\.g\. "
     r"classes, validation\[1\] = np\.unique\(validation\[1\], return_inverse=True\)"),
    ("step eta zero", lambda: nn.train.step(_clf(), X, Y4, eta=0), ValueError, r"eta must be a positive number, got 0"),
    ("step without a Trace-able x", lambda: nn.train.step(_clf(), np.zeros((3, 4)), Y4, eta=0.1), ValueError,
     r"x must have 2 rows"),
    ("sgd without a Network", lambda: nn.sgd("net", X, Y4, eta=0.1, epochs=1, batch_size=1), TypeError,
     r"net must be an nnlib Network, got str"),
    ("sgd seed not an integer", lambda: _sgd(seed="a"), TypeError, r"seed must be an integer, got 'a'"),
    # --- gradient checking
    ("check_network h = 0", lambda: check_network(_clf(), X, Y4, h=0), ValueError,
     r"h must be a positive number, got 0"),
    ("numerical_gradient of an int array", lambda: numerical_gradient(lambda: 0.0, np.zeros(3, dtype=int)),
     TypeError, r"theta must be a float64 numpy array \(it is perturbed in place\)"),
    ("numerical_gradient of a non-function", lambda: numerical_gradient(1.0, np.zeros(3)), TypeError,
     r"f must be a function of no arguments, got float"),
    ("relative_error shapes", lambda: relative_error(np.zeros(3), np.zeros(4)), ValueError,
     r"g1 and g2 must have the same shape, got \(3,\) and \(4,\)"),
    ("check_network of a float32 net", lambda: check_network(_float32(), X, Y4), TypeError,
     r"gradient checks need a float64 network \(central differences in float32 lose most of their digits\), "
     r"got dtype float32: build the network with dtype='float64'"),
    ("check_deltas of a float32 net", lambda: check_deltas(_float32(), X, Y4), TypeError,
     r"gradient checks need a float64 network"),
    ("numerical_delta of a float32 net", lambda: numerical_delta(_float32(), X, Y4, 1), TypeError,
     r"gradient checks need a float64 network"),
    ("numerical_delta layer 0", lambda: numerical_delta(_bin(), X, Y4, 0), ValueError,
     r"l must be a layer index 1\.\.2, got 0"),
    ("check_deltas without a Network", lambda: check_deltas("net", X, Y4), TypeError,
     r"net must be an nnlib Network, got str"),
    # --- timing
    ("times of a non-callable", lambda: times(42), TypeError, r"fn must be a function of no arguments, got int"),
    ("times of a result, not a function", lambda: times(sum(range(3))), TypeError,
     r"fn must be a function of no arguments, got int"),
    ("times repeat 0", lambda: times(lambda: None, repeat=0), ValueError, r"repeat must be a positive integer, got 0"),
    ("times negative warmup", lambda: times(lambda: None, warmup=-1), ValueError,
     r"warmup must be a non-negative integer, got -1"),
    # --- data sets
    ("blobs n = 0", lambda: ds.blobs(n=0), ValueError, r"n must be a positive integer, got 0"),
    ("blobs one centre", lambda: ds.blobs(centers=1), ValueError, r"centers must be at least 2, got 1"),
    ("moons negative noise", lambda: ds.moons(noise=-0.1), ValueError,
     r"noise must be a non-negative number, got -0\.1"),
    ("circles factor >= 1", lambda: ds.circles(factor=1.5), ValueError, r"factor must be in \(0, 1\), got 1\.5"),
    ("spirals one class", lambda: ds.spirals(classes=1), ValueError, r"classes must be at least 2, got 1"),
    ("xor fractional count", lambda: ds.xor(n_per_corner=1.5), TypeError,
     r"n_per_corner must be a positive integer, got 1\.5"),
    ("data seed not an integer", lambda: ds.moons(seed=1.5), TypeError, r"seed must be an integer, got 1\.5"),
    ("xor seed not an integer, without noise", lambda: ds.xor(seed="0"), TypeError, r"seed must be an integer, got '0'"),
    ("unknown 1-D function", lambda: ds.regression_1d("tan"), ValueError,
     r"unknown function 'tan'; expected one of: abs, bump, cubic, sine, step"),
    ("1-D function of the wrong shape", lambda: ds.regression_1d(lambda t: t[:-1], n=10), ValueError,
     r"function must map the 10 sample points t \(shape \(10,\)\) to one value each, got an output of "
     r"shape \(9,\)"),
    ("test_fraction 1", lambda: ds.train_test_split(X, Y4, test_fraction=1.0), ValueError,
     r"test_fraction must be in \(0, 1\), got 1\.0"),
    ("split with mismatched y", lambda: ds.train_test_split(X, [0, 1, 1]), ValueError,
     r"^y has 3 examples but x has 4 \(columns\)$"),
    ("split of examples as rows", lambda: ds.train_test_split(np.zeros((4, 2)), Y4), ValueError,
     r"y has 4 examples but x has 2 \(columns\); if x holds one example per row, pass x\.T "
     r"\(shape \(2, 4\)\): examples are columns"),
    ("split with a scalar y", lambda: ds.train_test_split(X, 1), ValueError, r"y has 1 examples but x has 4"),
    ("split seed not an integer", lambda: ds.train_test_split(X, Y4, seed=0.5), TypeError,
     r"seed must be an integer, got 0\.5"),
    # --- interactive figures
    ("slider step 0", lambda: slider((0, 1, 0)), ValueError,
     r"a slider range \(start, stop, step\) needs step > 0 and stop >= start, got \(0, 1, 0\)"),
    ("slider stop < start", lambda: slider((1, 0, 0.1)), ValueError, r"needs step > 0 and stop >= start"),
    ("slider nan", lambda: slider((0, np.nan, 0.1)), ValueError,
     r"a slider range \(start, stop, step\) must be finite numbers"),
    ("slider empty list", lambda: slider([]), ValueError,
     r"slider values must be a \(start, stop, step\) tuple or a non-empty list of numbers, got \[\]"),
    ("slider of strings", lambda: slider(["a", 1]), ValueError, r"slider values must be .* list of numbers"),
    ("slider of a number", lambda: slider(3), TypeError,
     r"slider values must be a \(start, stop, step\) tuple or a list of numbers, got 3"),
    ("slider default not a value", lambda: slider((0, 1, 0.5), default=0.3), ValueError,
     r"default 0\.3 is not one of the control's values \[0\.0, 0\.5, 1\.0\]"),
    ("choice of numbers", lambda: choice([1, 2]), ValueError,
     r"choice options must be a non-empty list of strings, got \[1, 2\]"),
    ("choice of a string", lambda: choice("relu"), TypeError, r"choice options must be a list of strings, got 'relu'"),
    ("control spec a number", lambda: interactive(_plot, alt="a line", w=3), TypeError,
     r"control w: slider values must be a \(start, stop, step\) tuple or a list of numbers, got 3"),
    ("control not a parameter of plot", lambda: interactive(_plot, alt="a line", v=(0, 1, 1)), TypeError,
     r"plot has no parameter named 'v' for that control \(its parameters after the axes: w\)"),
    ("plot parameter without a control", lambda: interactive(lambda ax, w, b: None, alt="x", w=[0, 1]),
     TypeError, r"plot's parameter 'b' has no control and no default value"),
    ("interactive without alt text", lambda: interactive(_plot, alt=" ", w=(0, 1, 1)), ValueError,
     r"alt must be a non-empty description of the figure \(its alt text\)"),
    ("interactive without controls", lambda: interactive(_plot, alt="a line"), ValueError,
     r"interactive needs at least one control"),
    ("interactive plot not callable", lambda: interactive("plot", alt="a line", w=(0, 1, 1)), TypeError,
     r"plot must be a function plot\(ax, \*\*values\), got str"),
    ("interactive ncols 0", lambda: interactive(_plot, alt="a line", ncols=0, w=(0, 1, 1)), ValueError,
     r"ncols must be a positive integer, got 0"),
    ("interactive dpi", lambda: interactive(_plot, alt="a line", dpi=0, w=(0, 1, 1)), ValueError,
     r"dpi must be a positive number, got 0"),
    ("interactive figsize", lambda: interactive(_plot, alt="a line", figsize=(4, -1), w=(0, 1, 1)), ValueError,
     r"figsize must be a pair \(width, height\) of positive numbers \(inches\), got \(4, -1\)"),
    ("interactive max_bytes", lambda: interactive(_plot, alt="a line", max_bytes=0, w=(0, 1, 1)), ValueError,
     r"max_bytes must be a positive integer, got 0"),
    # --- plots
    ("diagram of bad sizes", lambda: plots.network_diagram([2, 0]), ValueError, r"sizes must be positive"),
    ("diagram max_shown 0", lambda: plots.network_diagram([2, 1], max_shown=0), ValueError,
     r"max_shown must be a positive integer, got 0"),
    ("derivative plot of softmax", lambda: plots.function_and_derivative("softmax"), ValueError,
     r"activation must be element-wise to plot its derivative, got Softmax\(\)"),
    ("decision_boundary of a non-function", lambda: plots.decision_boundary(3), TypeError,
     r"predict must be a function of inputs \(2, m\) or a Network, got int"),
    ("decision_boundary output of the wrong size", lambda: plots.decision_boundary(lambda g: g[0, :5],
                                                                                  resolution=10), ValueError,
     r"predict must map inputs of shape \(2, m\) to outputs of shape \(m,\) or \(k, m\); for m=100 it "
     r"returned shape \(5,\)"),
    ("decision_boundary resolution 1", lambda: plots.decision_boundary(lambda g: g[0], resolution=1), ValueError,
     r"resolution must be at least 2 \(grid points per axis\), got 1"),
    ("training_curves of a list", lambda: plots.training_curves([1.0, 0.5]), TypeError,
     r"history must be the History that sgd returns, got list"),
    ("descent path of the wrong shape", lambda: plots.descent_path(lambda a, b: a, np.zeros((4, 3))), ValueError,
     r"path must have shape \(steps, 2\), got \(4, 3\)"),
]


@pytest.mark.parametrize("what, call, error, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(what, call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    # The exact type, not a subclass such as numpy's LinAlgError or AxisError.
    assert type(info.value) is error


def test_at_least_twenty_kinds():
    assert len(CASES) >= 20
    assert len({c[0] for c in CASES}) == len(CASES)


def test_errors_leave_no_half_built_state():
    """A failed sgd call (bad argument) does not touch the network."""
    net = _clf()
    before = [p.copy() for p in net.params()]
    with pytest.raises(ValueError):
        nn.sgd(net, X, Y4, eta=0.1, epochs=1, batch_size=2, dropout=2.0)
    assert all(np.array_equal(p, q) for p, q in zip(before, net.params()))


@pytest.mark.parametrize("dtype, big", [("float64", 1e308), ("float32", 3e38)])
def test_finite_values_whose_sum_overflows_are_accepted(dtype, big):
    """The finite check sums first: an infinite sum of finite values is not mistaken for an
    inf (and no overflow warning escapes, which the tests would turn into an error); a real
    inf or nan among them is still found."""
    x = np.full((2, 4), big, dtype=dtype)
    net = classifier([2, 3, 2], dtype=dtype)
    assert net._check_x(x)[0].shape == (2, 4)
    for bad in (np.inf, -np.inf, np.nan):
        x_bad = x.copy()
        x_bad[1, 2] = bad
        with pytest.raises(ValueError, match=r"x must contain only finite numbers"):
            net._check_x(x_bad)
