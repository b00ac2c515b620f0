"""(G_AA + shift I)^-1 kept up to date as single coordinates join or leave.

The L1 homotopy adds or drops one coordinate at each knot; rebuilding the
inverse there would cost O(k^3) per knot.  Here a join costs one O(k^2)
product and a bordered update of a small Schur complement, a leave an O(k^2)
rank-one downdate, and the inverse is tested for drift (one O(k^2) product)
instead of being rebuilt on a schedule.
"""

from __future__ import annotations

import numpy as np


class BlockInverse:
    """(G_AA)^-1 kept up to date as single coordinates join or leave.

    A base inverse M0 (of the first k0 coordinates) is kept explicitly; up to
    ``carry`` coordinates B that joined since are carried by their Schur
    complement S = G_BB - G_B0 M0 G_0B, so a join costs one product with M0
    (O(k^2)) and an m x m inverse instead of a rank-one update of the whole
    inverse.  The base is rebuilt from the block formula (one O(k^2 m) matrix
    product) when B is full or a base coordinate leaves, and from scratch every
    ``refresh`` updates or when a refinement step finds drift.
    """

    refresh = 256
    carry = 24

    def __init__(self, gram: np.ndarray, shift: float = 0.0):
        self.gram, self.shift = gram, shift
        self.idx: list[int] = []
        self.updates = 0
        self.k0 = 0
        self._inv = np.empty((16, 16))
        self._cols = np.empty((gram.shape[0], 16))
        self._ids = np.empty(16, dtype=np.intp)  # idx as an array: no list conversions per knot
        self.W = np.zeros((0, 0))  # M0 @ G[base, B]
        self.S_inv = np.zeros((0, 0))
        self.S = np.zeros((0, 0))
        self._base_products: np.ndarray | None = None

    @property
    def inv(self) -> np.ndarray:
        """The full inverse (folds the carried coordinates into the base)."""
        self._fold()
        return self._inv[: self.k0, : self.k0]

    @property
    def idx_array(self) -> np.ndarray:
        """``idx`` as an integer array (a view; read it again after a change)."""
        return self._ids[: len(self.idx)]

    def cols(self) -> np.ndarray:
        """G[:, idx] without gathering it again: columns are kept as they join."""
        return self._cols[:, : len(self.idx)]

    def apply(self, X: np.ndarray) -> np.ndarray:
        """inv @ X (rows in idx order) by the block formula: one product with M0."""
        k0 = self.k0
        M0 = self._inv[:k0, :k0]
        X0, XB = X[:k0], X[k0:]
        out = np.empty_like(X)
        out[:k0] = M0 @ X0
        if XB.shape[0]:
            T = self.S_inv @ (self.W.T @ X0 - XB)
            out[:k0] += self.W @ T
            out[k0:] = -T
        return out

    def apply_affine(self, c_A: np.ndarray, s_A: np.ndarray, t: float) -> np.ndarray:
        """inv @ [c_A - t s_A, s_A] (k x 2) in O(k m): M0 @ [c_A0, s_A0] is kept per base.

        Along the L1 homotopy only t (lambda / 2) changes between knots while the
        base stays, so the one O(k^2) product is made once per base, not per knot.
        """
        k0 = self.k0
        if self._base_products is None:
            self._base_products = self._inv[:k0, :k0] @ np.column_stack([c_A[:k0], s_A[:k0]])
        P = self._base_products
        X = np.column_stack([c_A - t * s_A, s_A])
        out = np.empty_like(X)
        out[:k0, 0] = P[:, 0] - t * P[:, 1]
        out[:k0, 1] = P[:, 1]
        if X.shape[0] > k0:
            T = self.S_inv @ (self.W.T @ X[:k0] - X[k0:])
            out[:k0] += self.W @ T
            out[k0:] = -T
        return out

    def _grow(self, k: int) -> None:
        if k <= self._cols.shape[1]:
            return
        size = 2 * self._cols.shape[1]
        inv, cols = np.empty((size, size)), np.empty((self.gram.shape[0], size))
        inv[: self.k0, : self.k0] = self._inv[: self.k0, : self.k0]
        cols[:, : k - 1] = self.cols()
        ids = np.empty(size, dtype=np.intp)
        ids[: k - 1] = self.idx_array
        self._inv, self._cols, self._ids = inv, cols, ids

    def add(self, j: int) -> bool:
        """Carry column j; False if it lies in the span of the block."""
        G = self.gram
        k0, k = self.k0, len(self.idx)
        col0 = G[self._ids[:k0], j]
        w = self._inv[:k0, :k0] @ col0
        s_bj = G[self._ids[k0:k], j] - self.W.T @ col0
        s_jj = G[j, j] + self.shift - col0 @ w
        u = self.S_inv @ s_bj
        sigma = s_jj - s_bj @ u
        if not sigma > 1e-10 * (G[j, j] + self.shift):
            return False
        m = k - k0
        self._grow(k + 1)
        self.W = np.column_stack([self.W.reshape(self.k0, m), w])
        S = np.empty((m + 1, m + 1))
        S[:m, :m], S[:m, m], S[m, :m], S[m, m] = self.S, s_bj, s_bj, s_jj
        self.S, self.S_inv = S, _bordered_inverse(self.S_inv, u, sigma)
        self._cols[:, k] = G[:, j]
        self._ids[k] = j
        self.idx.append(j)
        if m + 1 >= self.carry:
            self._fold()
        self._count()
        return True

    def _fold(self) -> None:
        """Make the carried coordinates part of the base inverse (block formula)."""
        m = len(self.idx) - self.k0
        if m == 0:
            return
        k0, k = self.k0, len(self.idx)
        WS = self.W @ self.S_inv
        inv = self._inv
        inv[:k0, :k0] += WS @ self.W.T
        inv[:k0, k0:k] = -WS
        inv[k0:k, :k0] = -WS.T
        inv[k0:k, k0:k] = self.S_inv
        self.k0 = k
        self.W, self.S, self.S_inv = np.zeros((k, 0)), np.zeros((0, 0)), np.zeros((0, 0))
        self._base_products = None

    def drop(self, j: int) -> None:
        """Remove coordinate j; the order of the others may change (read ``idx`` after)."""
        q = self.idx.index(j)
        k = len(self.idx)
        if q >= self.k0:  # a carried coordinate: only the small Schur complement changes
            keep = np.arange(k - self.k0) != q - self.k0
            self.W = self.W[:, keep]
            self.S = self.S[np.ix_(keep, keep)]
            self.S_inv = _removed_inverse(self.S_inv, q - self.k0)
        else:
            q = self._drop_base(q)
        self._cols[:, q : k - 1] = self._cols[:, q + 1 : k].copy()
        self._ids[q : k - 1] = self._ids[q + 1 : k].copy()
        self.idx.pop(q)
        self._count()

    def _drop_base(self, q: int) -> int:
        """Remove base position q without folding the carried coordinates in.

        q is swapped to the base's last place and the base inverse downdated
        (O(k^2)); the carried part follows in O(k m): with w = W[q] and d = M0[q, q],
        W loses row q and ``M0[:, q] w / d``, and S gains ``w w' / d`` (the quadratic
        form through the smaller base), its inverse by Sherman-Morrison.  Returns
        the position removed (the base's old last place).
        """
        k0, last = self.k0, self.k0 - 1
        inv = self._inv
        inv[[q, last], :k0] = inv[[last, q], :k0]
        inv[:k0, [q, last]] = inv[:k0, [last, q]]
        self._cols[:, [q, last]] = self._cols[:, [last, q]]
        self._ids[[q, last]] = self._ids[[last, q]]
        self.idx[q], self.idx[last] = self.idx[last], self.idx[q]
        col, d = inv[:last, last].copy(), float(inv[last, last])
        scaled = col / d
        for start in range(0, last, 64):  # in row blocks: no k x k temporary
            stop = min(start + 64, last)
            inv[start:stop, :last] -= np.outer(col[start:stop], scaled)
        if self.W.shape[1]:
            W = self.W.copy()
            W[[q, last]] = W[[last, q]]
            w = W[last].copy()
            self.W = W[:last] - np.outer(scaled, w)
            self.S = self.S + np.outer(w, w / d)
            u = self.S_inv @ w
            self.S_inv = self.S_inv - np.outer(u, u / (d + w @ u))
        else:
            self.W = np.zeros((last, 0))
        self.k0 = last
        self._base_products = None
        return last

    def _count(self) -> None:
        """Every ``refresh`` updates, test the inverse on one vector; rebuild only on drift.

        A test is one O(k^2) product; the rebuild it replaces is an O(k^3) inverse
        (at 2000 x 600 the blind rebuilds were a tenth of the L1 path's time).
        """
        self.updates += 1
        if self.updates % self.refresh == 0 and self.drift() > 1e-11:
            self.rebuild()

    def drift(self) -> float:
        """max |inv @ (G_AA + shift) e - e| for a fixed +-1 vector e: 0 for an exact inverse."""
        k = len(self.idx)
        if k == 0:
            return 0.0
        e = np.where(np.arange(k) % 3 == 1, -1.0, 1.0)
        back = self.apply(self.cols()[self.idx] @ e + self.shift * e)
        return float(np.max(np.abs(back - e)))

    def rebuild(self) -> None:
        self._fold()
        self._base_products = None
        if self.idx:
            sub = self.gram[np.ix_(self.idx, self.idx)]
            sub.flat[:: len(self.idx) + 1] += self.shift
            self._inv[: self.k0, : self.k0] = np.linalg.inv(sub)

    def reset(self, idx: np.ndarray, shift: float) -> None:
        """Start over on support idx with a new diagonal shift: one O(k^3) inverse."""
        k = len(idx)
        self.shift, self.idx, self.k0 = shift, [int(i) for i in idx], 0
        self.W, self.S, self.S_inv = np.zeros((0, 0)), np.zeros((0, 0)), np.zeros((0, 0))
        size = self._cols.shape[1]
        while size < k:
            size *= 2
        if size != self._cols.shape[1]:
            self._inv, self._cols = np.empty((size, size)), np.empty((self.gram.shape[0], size))
            self._ids = np.empty(size, dtype=np.intp)
        self._cols[:, :k] = self.gram[:, idx]
        self._ids[:k] = idx
        self.k0 = k
        self.W = np.zeros((k, 0))
        self.rebuild()

    def solve(self, b: np.ndarray) -> np.ndarray:
        """inv @ b with one step of iterative refinement against G_AA + shift I.

        The block's product is read off the kept columns, (G[:, A] x)[A], one
        pass over them instead of gathering the k x k block first.
        """
        x = self.apply(b)
        if self.idx:
            fix = self.apply(b - self._times_block(x))
            if np.max(np.abs(fix), initial=0.0) > 1e-8 * np.max(np.abs(x), initial=1e-300):
                self.rebuild()
                x = self.apply(b)
                fix = self.apply(b - self._times_block(x))
            x += fix
        return x

    def _times_block(self, x: np.ndarray) -> np.ndarray:
        return (self.cols() @ x)[self.idx_array] + self.shift * x


def _bordered_inverse(S_inv: np.ndarray, u: np.ndarray, sigma: float) -> np.ndarray:
    """Inverse of [[S, s], [s', d]] from S^-1, u = S^-1 s and sigma = d - s'u: O(m^2)."""
    m = u.size
    out = np.empty((m + 1, m + 1))
    out[:m, :m] = S_inv + np.outer(u, u / sigma)
    out[:m, m] = out[m, :m] = -u / sigma
    out[m, m] = 1.0 / sigma
    return out


def _removed_inverse(S_inv: np.ndarray, q: int) -> np.ndarray:
    """Inverse of S without row and column q, from S^-1: O(m^2)."""
    keep = np.arange(S_inv.shape[0]) != q
    col = S_inv[keep, q]
    return S_inv[np.ix_(keep, keep)] - np.outer(col, col / S_inv[q, q])
