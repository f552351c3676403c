"""A fully connected network on one flat parameter vector: forward and backward passes.

The parameters ``theta`` are laid out as [W_1, ..., W_L, b_1, ..., b_L]
(each W_l of shape (n_in, n_out), C order; the intercepts only when
``fit_intercept``), so that the L2 penalty, which spares the intercepts, acts
on the slice ``theta[:n_coef]``. With no hidden layer the network is the
linear model Z = X @ W + b. The first layer multiplies ``X`` as it is, so a
scipy.sparse ``X`` is never densified; every product is a BLAS (or
scipy.sparse) matrix product, there is no loop over samples or labels.
"""

import numpy as np
from scipy.special import expit

__all__ = ["ACTIVATIONS", "Network"]

ACTIVATIONS = ("identity", "logistic", "relu", "tanh")


def _activate(name, values):
    """Apply the activation in place."""
    if name == "relu":
        np.maximum(values, 0.0, out=values)
    elif name == "tanh":
        np.tanh(values, out=values)
    elif name == "logistic":
        expit(values, out=values)


def _multiply_by_derivative(name, outputs, delta):
    """Multiply ``delta`` in place by f'(a), written with the output ``outputs`` = f(a)."""
    if name == "relu":
        np.multiply(delta, outputs > 0.0, out=delta)
    elif name == "tanh":
        delta *= 1.0 - outputs**2
    elif name == "logistic":
        delta *= outputs * (1.0 - outputs)


class Network:
    """Layer sizes, activation and the map between ``theta`` and per-layer arrays.

    Parameters
    ----------
    layer_sizes : sequence of int
        [n_features, *hidden_layer_sizes, n_labels].
    activation : {"identity", "logistic", "relu", "tanh"}
        Activation of the hidden layers (the output layer gives logits).
    fit_intercept : bool
        Whether the layers have intercepts.
    """

    def __init__(self, layer_sizes, activation, fit_intercept):
        self.coef_shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
        self.activation = activation
        self.fit_intercept = fit_intercept
        self.n_coef = sum(n_in * n_out for n_in, n_out in self.coef_shapes)
        n_intercept = sum(layer_sizes[1:]) if fit_intercept else 0
        self.n_params = self.n_coef + n_intercept

    def unpack(self, theta):
        """Views of ``theta``: list of coefficient matrices, list of intercepts (or None)."""
        coefs, intercepts, start = [], [], 0
        for n_in, n_out in self.coef_shapes:
            coefs.append(theta[start : start + n_in * n_out].reshape(n_in, n_out))
            start += n_in * n_out
        if not self.fit_intercept:
            return coefs, None
        for _, n_out in self.coef_shapes:
            intercepts.append(theta[start : start + n_out])
            start += n_out
        return coefs, intercepts

    def pack(self, coefs, intercepts, dtype=np.float64):
        """Flatten per-layer arrays into a new ``theta`` of ``dtype``."""
        parts = [np.ravel(c) for c in coefs]
        if self.fit_intercept:
            parts += [np.ravel(b) for b in intercepts]
        return np.concatenate(parts).astype(dtype)

    def initial_parameters(self, random_state, dtype=np.float64):
        """Glorot-uniform coefficients and intercepts, drawn as scikit-learn's MLP does.

        The linear model (no hidden layer) starts from zeros, like LogisticRegression.
        The draws are made in float64, then cast to ``dtype``.
        """
        theta = np.zeros(self.n_params)
        if len(self.coef_shapes) == 1:
            return theta.astype(dtype)
        coefs, intercepts = self.unpack(theta)
        factor = 2.0 if self.activation == "logistic" else 6.0
        for layer, (n_in, n_out) in enumerate(self.coef_shapes):
            bound = np.sqrt(factor / (n_in + n_out))
            coefs[layer][...] = random_state.uniform(-bound, bound, (n_in, n_out))
            intercept = random_state.uniform(-bound, bound, n_out)
            if self.fit_intercept:
                intercepts[layer][...] = intercept
        return theta.astype(dtype, copy=False)

    def forward(self, X, coefs, intercepts):
        """Outputs of every layer; the last one is the logit matrix."""
        outputs = []
        inputs = X
        last = len(coefs) - 1
        for layer, coef in enumerate(coefs):
            values = inputs @ coef
            if intercepts is not None:
                values += intercepts[layer]
            if layer < last:
                _activate(self.activation, values)
            outputs.append(values)
            inputs = values
        return outputs

    def backward(self, X, outputs, coefs, delta, grad_coefs, grad_intercepts, hidden_delta=None):
        """Back-propagate ``delta`` = dF/dlogits, writing dF/dW and dF/db into the given views.

        ``hidden_delta``, when given, is a term of dF with respect to the last
        hidden layer's output (``outputs[-2]``) that does not pass through the
        logits (a loss on the representation); it joins the back-propagated one.
        """
        last = len(coefs) - 1
        for layer in range(last, -1, -1):
            inputs = X if layer == 0 else outputs[layer - 1]
            grad_coefs[layer][...] = inputs.T @ delta
            if grad_intercepts is not None:
                delta.sum(axis=0, out=grad_intercepts[layer])
            if layer > 0:
                delta = delta @ coefs[layer].T
                if layer == last and hidden_delta is not None:
                    delta += hidden_delta
                _multiply_by_derivative(self.activation, outputs[layer - 1], delta)
