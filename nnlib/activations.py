r"""Activation functions $\sigma$, their derivatives $\sigma'$, and their properties.

Every activation is a small object with

* ``fn(z)``: the activation $a = \sigma(z)$, applied to a weighted input ``z``;
* ``prime(z)``: the derivative $\sigma'(z)$ (element-wise activations only);
* ``backward(z, a, grad_a)``: turns $\partial C/\partial a$ into
  $\partial C/\partial z$. For an element-wise activation this is the Hadamard
  product $\partial C/\partial a \odot \sigma'(z)$ of BP1 and BP2; softmax and
  Maxout, which mix the entries of ``z``, override it.

and the properties that the activations chapter tabulates (``smooth``,
``zero_centred``, ``saturates``, ``range``). The tests check each property
against the function itself, so the table in the book cannot drift from the code.

``z`` has the neurons along axis 0: shape ``(n,)`` for one example, ``(n, m)``
for a mini-batch of ``m`` examples stored as columns.

Chapters: 2 (the neuron), 5 (activation functions), 8 (ReLU and its family),
9 (Maxout), 10 (softmax).
"""

from __future__ import annotations

import inspect

import numpy as np

from ._checks import as_float_array, lookup, positive_number

__all__ = [
    "Activation",
    "Step",
    "Identity",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softmax",
    "Maxout",
    "ACTIVATIONS",
    "get_activation",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "logsumexp",
    "log_softmax",
]


def _as_float(z):
    """``z`` as a float array: float32 and float64 stay as they are, anything else becomes float64."""
    z = np.asarray(z)
    return z if z.dtype in (np.float32, np.float64) else z.astype(np.float64)


def sigmoid(z):
    r"""The logistic sigmoid $\sigma(z) = 1 / (1 + e^{-z})$, without overflow.

    For $z \ge 0$ it evaluates $1/(1+e^{-z})$; for $z < 0$ the equal form
    $e^{z}/(1+e^{z})$. Either way the exponent is $-|z| \le 0$, so ``exp`` never
    overflows, and small outputs keep their full relative precision.
    """
    z = _as_float(z)
    e = np.abs(z, out=np.empty_like(z))
    np.negative(e, out=e)
    np.exp(e, out=e)                      # e = exp(-|z|), in (0, 1]
    # The numerator, 1 for z >= 0 and e = e^z for z < 0, is max(e, [z >= 0]):
    # the same as np.where(z >= 0, 1.0, e), bit for bit, in a third of the time.
    out = np.maximum(e, z >= 0)
    e += 1.0
    out /= e
    return out if out.ndim else out[()]


def sigmoid_prime(z):
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, which never exceeds $1/4$."""
    s = sigmoid(z)
    return s * (1.0 - s)


def softmax(z):
    r"""$\mathrm{softmax}(z)_j = e^{z_j} / \sum_k e^{z_k}$ along axis 0.

    Subtracting $\max_k z_k$ first changes nothing mathematically (the factor
    $e^{-\max z}$ cancels) but keeps every exponent $\le 0$: no overflow, and the
    largest term is exactly 1, so the denominator is never 0.
    """
    z = _as_float(z)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


class Activation:
    """Base class: an element-wise activation $a = \\sigma(z)$.

    Subclasses set the class attributes below and implement ``fn`` and ``prime``.

    Attributes
    ----------
    name : str
        The key in :data:`ACTIVATIONS`.
    formula : str
        The definition in LaTeX, for tables.
    smooth : bool
        The derivative exists everywhere, is continuous, and is not identically
        zero (the definition the notes use: what gradient descent needs).
    zero_centred : bool
        The output takes both negative and positive values.
    saturates : tuple of (bool, bool)
        Whether $\\sigma'(z) \\to 0$ as $z \\to -\\infty$ and as $z \\to +\\infty$.
    range : tuple of float
        The infimum and supremum of the output.
    pieces : int
        How many weighted inputs feed one output (1, except for Maxout).
    """

    name = "activation"
    formula = ""
    smooth = False
    zero_centred = False
    saturates = (False, False)
    range = (-np.inf, np.inf)
    pieces = 1
    elementwise = True

    def fn(self, z):
        raise NotImplementedError

    def prime(self, z):
        raise NotImplementedError

    def __call__(self, z):
        return self.fn(z)

    def backward(self, z, a, grad_a):
        r"""$\partial C/\partial z = \partial C/\partial a \odot \sigma'(z)$ (the
        Hadamard product of BP1 and BP2).

        ``a`` is $\sigma(z)$ if the caller has it, or None. It is unused here;
        activations whose derivative is cheaper from ``a`` (sigmoid, tanh) use it
        when given."""
        return grad_a * self.prime(z)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash((type(self), tuple(sorted(self.__dict__.items()))))


class Step(Activation):
    r"""The Heaviside step: $1$ if $z > 0$, else $0$ (the perceptron's activation).

    Its derivative is $0$ wherever it exists (everywhere but $z = 0$), so gradient
    descent cannot train it: a small change of weight changes nothing, then
    everything. ``prime`` returns 0 (taking the value 0 at the jump too).
    """

    name = "step"
    formula = r"\begin{cases} 0 & z \le 0 \\ 1 & z > 0 \end{cases}"
    smooth = False
    zero_centred = False
    saturates = (True, True)
    range = (0.0, 1.0)

    def fn(self, z):
        z = _as_float(z)
        return (z > 0).astype(z.dtype)

    def prime(self, z):
        return np.zeros_like(_as_float(z))


class Identity(Activation):
    r"""The identity $\sigma(z) = z$: the output layer of a regression network."""

    name = "identity"
    formula = r"z"
    smooth = True
    zero_centred = True
    saturates = (False, False)
    range = (-np.inf, np.inf)

    def fn(self, z):
        return _as_float(z).copy()

    def prime(self, z):
        return np.ones_like(_as_float(z))

    def backward(self, z, a, grad_a):
        return grad_a


class Sigmoid(Activation):
    r"""The logistic sigmoid $\sigma(z) = 1/(1+e^{-z})$; $\sigma' = \sigma(1-\sigma) \le 1/4$."""

    name = "sigmoid"
    formula = r"\frac{1}{1 + e^{-z}}"
    smooth = True
    zero_centred = False
    saturates = (True, True)
    range = (0.0, 1.0)

    def fn(self, z):
        return sigmoid(z)

    def prime(self, z):
        return sigmoid_prime(z)

    def backward(self, z, a, grad_a):
        # sigma'(z) = a (1 - a): reuse the forward pass's a instead of new exps.
        if a is None:
            a = sigmoid(z)
        out = 1.0 - a
        out *= a
        out *= grad_a
        return out


class Tanh(Activation):
    r"""$\tanh z = (e^{z} - e^{-z})/(e^{z} + e^{-z}) = 2\sigma(2z) - 1$; $\tanh' = 1 - \tanh^2 \le 1$."""

    name = "tanh"
    formula = r"\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}"
    smooth = True
    zero_centred = True
    saturates = (True, True)
    range = (-1.0, 1.0)

    def fn(self, z):
        return np.tanh(_as_float(z))

    def prime(self, z):
        t = np.tanh(_as_float(z))
        return 1.0 - t * t

    def backward(self, z, a, grad_a):
        if a is None:
            a = np.tanh(z)
        return grad_a * (1.0 - a * a)


class ReLU(Activation):
    r"""The rectified linear unit $\max(0, z)$.

    Its derivative jumps from 0 to 1 at $z = 0$ (``prime`` takes 0 there), so it is
    *not* smooth in the notes' own sense, although the notes' table says it is.
    """

    name = "relu"
    formula = r"\max(0, z)"
    smooth = False
    zero_centred = False
    saturates = (True, False)
    range = (0.0, np.inf)

    def fn(self, z):
        return np.maximum(_as_float(z), 0.0)

    def prime(self, z):
        z = _as_float(z)
        return (z > 0).astype(z.dtype)

    def backward(self, z, a, grad_a):
        return grad_a * (z > 0)


class LeakyReLU(Activation):
    r"""Leaky ReLU $\max(\alpha z, z)$ for a small slope $0 < \alpha < 1$ (default 0.01)."""

    name = "leaky_relu"
    formula = r"\max(\alpha z, z)"
    smooth = False
    zero_centred = True
    saturates = (False, False)
    range = (-np.inf, np.inf)

    def __init__(self, alpha=0.01):
        positive_number(alpha, "alpha")
        if alpha >= 1:
            raise ValueError(f"alpha must be in (0, 1) for Leaky ReLU, got {alpha!r}")
        self.alpha = float(alpha)

    def fn(self, z):
        z = _as_float(z)
        return np.where(z > 0, z, self.alpha * z)

    def prime(self, z):
        z = _as_float(z)
        return np.where(z > 0, 1.0, self.alpha).astype(z.dtype)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class ELU(Activation):
    r"""The exponential linear unit: $z$ if $z > 0$, else $\alpha (e^{z} - 1)$.

    With the default $\alpha = 1$ its derivative ($1$, and $\alpha e^{z}$ for
    $z \le 0$) is continuous, so ELU is smooth; the negative side uses ``expm1``
    for accuracy near 0.
    """

    name = "elu"
    formula = r"\begin{cases} \alpha (e^{z} - 1) & z \le 0 \\ z & z > 0 \end{cases}"
    smooth = True
    zero_centred = True
    saturates = (True, False)
    range = (-1.0, np.inf)

    def __init__(self, alpha=1.0):
        positive_number(alpha, "alpha")
        self.alpha = float(alpha)
        # Smooth only when the two sides' derivatives meet at 0: alpha e^0 = 1.
        self.smooth = self.alpha == 1.0
        self.range = (-self.alpha, np.inf)

    def fn(self, z):
        z = _as_float(z)
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def prime(self, z):
        z = _as_float(z)
        return np.where(z > 0, 1.0, self.alpha * np.exp(np.minimum(z, 0.0)))

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


class Softmax(Activation):
    r"""$\mathrm{softmax}(z)_k = e^{z_k}/\sum_i e^{z_i}$: a probability vector.

    Not element-wise: every output depends on every input. Its Jacobian, oriented as in
    chapter 4 (row $k$ an output, column $j$ an input), is

    .. math:: J_{kj} = \frac{\partial a_k}{\partial z_j} = a_k\,([j = k] - a_j),
       \qquad J = \operatorname{diag}(a) - a a^T,

    where $[j = k]$ is 1 when $j = k$ and 0 otherwise. :meth:`jacobian` forms it for
    one example; :meth:`backward` applies $J^T$ without forming it.
    """

    name = "softmax"
    formula = r"\frac{e^{z_j}}{\sum_k e^{z_k}}"
    smooth = True
    zero_centred = False
    saturates = (True, True)
    range = (0.0, 1.0)
    elementwise = False

    def fn(self, z):
        return softmax(z)

    def prime(self, z):
        raise TypeError(
            "softmax is not element-wise, so it has no element-wise derivative; "
            "use backward(z, a, grad_a) or jacobian(z)"
        )

    def jacobian(self, z):
        r"""The Jacobian $J_{kj} = \partial a_k / \partial z_j = a_k([j = k] - a_j)$ of one example.

        ``z`` has shape ``(n,)``; ``J[k, j]`` is $\partial a_k / \partial z_j$ (row $k$ an
        output, column $j$ an input), an ``(n, n)`` matrix, symmetric.
        """
        z = _as_float(z)
        if z.ndim != 1:
            raise ValueError(f"z must be 1-D (one example) for the Jacobian, got shape {z.shape}")
        a = softmax(z)
        return np.diag(a) - np.outer(a, a)

    def backward(self, z, a, grad_a):
        r"""$\partial C/\partial z = J^T\, \partial C/\partial a$: the Jacobian-vector product
        that replaces the Hadamard product of BP1 for a softmax output (chapter 4).

        With $g = \partial C/\partial a$ and $J_{kj} = \partial a_k/\partial z_j =
        a_k([j = k] - a_j)$, the chain rule sums over every output $k$:

        .. math:: \frac{\partial C}{\partial z_j} = \sum_k J_{kj}\, g_k
           = a_j \Big(g_j - \sum_k a_k g_k\Big),

        one column (example) at a time, in $O(n)$ operations per example and without
        forming $J$. There is no element-wise $\sigma'(z)$ to multiply by. ``a`` is the
        softmax of ``z`` from the forward pass (recomputed when None).
        """
        if a is None:
            a = softmax(z)
        return a * (grad_a - np.sum(a * grad_a, axis=0, keepdims=True))


class Maxout(Activation):
    r"""Maxout with ``k`` pieces: $a_j = \max_{i} z_{j,i}$ over the unit's $k$ weighted inputs.

    A Maxout layer of $n$ units has $k n$ weighted inputs $z_{j,i} = w_{j,i}^T a^{l-1}
    + b_{j,i}$, stored as rows $jk, jk+1, \dots, jk+k-1$ of ``z``; ``fn`` maps
    ``z`` of shape ``(k n, m)`` to ``a`` of shape ``(n, m)``. In ``backward`` the
    gradient flows only to each unit's winning piece (the argmax), since the
    maximum is locally equal to that piece.
    """

    name = "maxout"
    formula = r"\max_{i = 1, \dots, k} z_{j, i}"
    smooth = False
    zero_centred = True
    saturates = (False, False)
    range = (-np.inf, np.inf)
    elementwise = False

    def __init__(self, k=2):
        positive_number(k, "k", integer=True)
        if k < 2:
            raise ValueError(f"k (pieces per Maxout unit) must be at least 2, got {k!r}")
        self.k = int(k)
        self.pieces = self.k

    def _grouped(self, z):
        z = _as_float(z)
        if z.shape[0] % self.k:
            raise ValueError(
                f"z must have a multiple of k={self.k} rows for Maxout, got shape {z.shape}"
            )
        return z.reshape((z.shape[0] // self.k, self.k) + z.shape[1:])

    def fn(self, z):
        return self._grouped(z).max(axis=1)

    def prime(self, z):
        raise TypeError(
            "Maxout is not element-wise, so it has no element-wise derivative; "
            "use backward(z, a, grad_a) or winners(z)"
        )

    def winners(self, z):
        """A 0/1 array shaped like ``z``: 1 at each unit's winning piece."""
        g = self._grouped(z)
        idx = np.expand_dims(g.argmax(axis=1), 1)
        mask = np.zeros_like(g)
        np.put_along_axis(mask, idx, 1.0, axis=1)
        return mask.reshape(np.shape(z))

    def backward(self, z, a, grad_a):
        r"""Route $\partial C/\partial a$ to each unit's winning piece (not a Hadamard product).

        $\partial C/\partial z_{j,i} = \partial C/\partial a_j$ if piece $i$ is unit $j$'s
        maximum, and 0 for its other pieces; ``grad_a`` has shape ``(n, m)``, the result
        the shape ``(k n, m)`` of ``z``. ``a`` is unused.
        """
        mask = self._grouped(self.winners(z))
        grad = mask * np.expand_dims(_as_float(grad_a), 1)
        return grad.reshape(np.shape(z))

    def __repr__(self):
        return f"Maxout(k={self.k})"


ACTIVATIONS = {
    cls.name: cls
    for cls in (Step, Identity, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softmax, Maxout)
}
"""Every activation by name: ``ACTIVATIONS["relu"]()`` is a :class:`ReLU`."""


def get_activation(activation, **params):
    """Return an :class:`Activation` from a name (``"relu"``) or pass one through.

    Parameters
    ----------
    activation : str or Activation
        A key of :data:`ACTIVATIONS`, or an activation object.
    **params
        Parameters for a named activation, e.g. ``alpha`` or ``k``.
    """
    if isinstance(activation, Activation):
        if params:
            raise TypeError("parameters can only be given with an activation's name")
        return activation
    if isinstance(activation, type) and issubclass(activation, Activation):
        return activation(**params)
    cls = lookup(ACTIVATIONS, activation, "activation")
    accepted = [p for p in inspect.signature(cls).parameters]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        takes = f"takes only {', '.join(accepted)}" if accepted else "takes no parameters"
        raise TypeError(f"activation {activation!r} {takes}, got {', '.join(unknown)}")
    return cls(**params)


def logsumexp(z):
    r"""$\operatorname{LSE}(z) = \ln \sum_k e^{z_k}$ along axis 0, without overflow.

    Evaluated as $m + \ln \sum_k e^{z_k - m}$ with $m = \max_k z_k$ (the factor $e^{m}$
    taken out of the sum): every exponent is $\le 0$, so nothing overflows, and the
    largest term is exactly 1, so the sum lies in $[1, n]$ and its logarithm never sees 0.
    It is a smooth maximum, $\max_k z_k \le \operatorname{LSE}(z) \le \max_k z_k + \ln n$,
    and its gradient is :func:`softmax`.

    Parameters
    ----------
    z : array, shape (n,) or (n, m)
        Finite weighted inputs, one column per example.

    Returns
    -------
    float or array of shape (m,)
        One value per column.

    Chapter 10 (softmax).
    """
    z = _as_float(z)
    z = as_float_array(z, "z", ndim=(1, 2), dtype=z.dtype)
    m = z.max(axis=0)
    return m + np.log(np.exp(z - m).sum(axis=0))


def log_softmax(z):
    r"""$\ln \mathrm{softmax}(z)_j = z_j - \operatorname{LSE}(z)$ along axis 0, without underflow.

    ``np.log(softmax(z))`` fails where a probability underflows to 0 (it returns
    $-\infty$ for, say, $z = (0, -800)$, whose second log-probability is $-800$); this
    form stays finite and accurate wherever ``z`` is finite. See :func:`logsumexp`.

    Parameters
    ----------
    z : array, shape (n,) or (n, m)
        Finite weighted inputs, one column per example.

    Returns
    -------
    array, the shape of ``z``

    Chapter 10 (softmax).
    """
    z = _as_float(z)
    return z - np.expand_dims(logsumexp(z), 0)
