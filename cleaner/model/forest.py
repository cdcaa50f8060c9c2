"""Fast prediction for fitted boosted trees (the second stage, the context trees of the first): the same probabilities
as HistGradientBoostingClassifier.predict_proba.

scikit-learn walks each of the small trees (the second stage has 200 rounds x 6 labels) for every row with a branch per
node; on real features those branches are unpredictable and cost most of the time. Here every tree is
padded to a complete tree of the ensemble's depth (a leaf above the bottom becomes a node that always
goes left, down to copies of the leaf), and all trees descend one level at a time for a block of rows
as numpy operations, without a branch: the top levels' nodes compare whole feature columns, the deeper
ones gather one value per tree and row. Missing values follow each node's learned side,
as in scikit-learn. Raw scores are summed in scikit-learn's order (baseline, then round after round)
and turned into probabilities by the model's own loss.

tests/test_fast_paths.py checks the probabilities against scikit-learn's.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

ROWS_PER_BLOCK = 128  # rows that descend together: (trees x rows) arrays of this width stay in the CPU cache
MAX_COMPILED_DEPTH = 8  # deeper trees would pad to 2**depth leaves each: those models keep scikit-learn's path
# The nodes of the top levels are compared for all rows, whole feature columns at a time (cheap contiguous
# reads), and each row then picks its branch; below them, each row's node is looked up one level at a time.
# Three levels (7 nodes a tree) measured fastest for depth-4 trees: 1.8x faster than two, and four were slower.
TOP_LEVELS = 3  # at most 7: a row's heap position below them (2**(levels + 1) - 2 at most) is one byte
CLIP = "clip"  # numpy's take without the bounds checks of indexing (the indices are in range by construction)


class CompiledForest:
    """The trees of a fitted HistGradientBoostingClassifier as flat arrays; `supported` says whether it could compile."""

    def __init__(self, model: HistGradientBoostingClassifier) -> None:
        self.model = model
        predictors = [tree for round_ in model._predictors for tree in round_]
        self.depth = max((int(tree.nodes["depth"].max()) for tree in predictors), default=0)
        categorical = any(tree.nodes["is_categorical"].any() for tree in predictors)
        self.supported = bool(predictors) and not categorical and 0 < self.depth <= MAX_COMPILED_DEPTH
        if not self.supported:
            return
        self.classes = model.n_trees_per_iteration_
        self.rounds = len(model._predictors)
        inner, leaves = 2**self.depth - 1, 2**self.depth
        trees = len(predictors)
        self.feature = np.zeros((trees, inner), dtype=np.intp)
        self.threshold = np.full((trees, inner), np.inf)  # padding nodes: everything goes left
        self.missing_left = np.ones((trees, inner), dtype=bool)
        self.leaf = np.zeros((trees, leaves))
        for t, tree in enumerate(predictors):
            self._fill(t, tree.nodes, 0, 0, 0)
        # Where each node's left child sits in the flat node array (the right child is next to it); below the
        # last level of nodes, the children are the leaves, numbered in the flat leaf array.
        heap = np.arange(inner)
        children = np.where(2 * heap + 1 < inner, 2 * heap + 1, 2 * heap + 1 - inner)
        below = np.where(2 * heap + 1 < inner, inner, leaves)
        self.left_child = (np.arange(trees)[:, None] * below[None, :] + children[None, :]).ravel()
        self.roots = (np.arange(trees) * inner)[:, None]
        self.leaf_roots = (np.arange(trees) * leaves)[:, None]
        self.baseline = np.asarray(model._baseline_prediction, dtype=np.float64).reshape(1, self.classes, 1)

    @property
    def classes_(self) -> np.ndarray:
        """The model's classes: the labels its training data had (a column each in `predict_proba`)."""
        return self.model.classes_

    def _fill(self, t: int, nodes: np.ndarray, node: int, position: int, depth: int) -> None:
        """Copy node `node` of tree `t` to heap position `position`, padding leaves down to the full depth."""
        record = nodes[node]
        if record["is_leaf"]:
            span = 2 ** (self.depth - depth)
            first = (position + 1) * span - 1 - (2**self.depth - 1)  # its leftmost descendant at the bottom
            self.leaf[t, first : first + span] = record["value"]
            return
        self.feature[t, position] = record["feature_idx"]
        self.threshold[t, position] = record["num_threshold"]
        self.missing_left[t, position] = bool(record["missing_go_to_left"])
        self._fill(t, nodes, int(record["left"]), 2 * position + 1, depth + 1)
        self._fill(t, nodes, int(record["right"]), 2 * position + 2, depth + 1)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, as the model's predict_proba gives them."""
        if not self.supported:
            return self.model.predict_proba(X)
        X = np.asarray(X, dtype=np.float64)
        if not len(X):
            return np.zeros((0, len(self.model.classes_)))
        raw = np.vstack([self._raw(X[start : start + ROWS_PER_BLOCK]) for start in range(0, len(X), ROWS_PER_BLOCK)])
        return self.model._loss.predict_proba(raw)

    def _raw(self, X: np.ndarray) -> np.ndarray:
        """Raw scores (rows x classes) of one block of rows."""
        n = len(X)
        columns = np.ascontiguousarray(X.T)  # columns[feature] is one feature of every row, contiguous
        has_missing = bool(np.isnan(columns).any())
        top = min(TOP_LEVELS, self.depth)
        position = self._top_position(columns, top, has_missing)
        if top == self.depth:
            node = self.leaf_roots + position - (2**top - 1)
        else:
            node = self._descend(columns, self.roots + position, top, has_missing)
        scores = self.leaf.ravel().take(node, mode=CLIP).reshape(self.rounds, self.classes, n)
        # Summed over rounds one after the other, starting from the baseline: scikit-learn's order of additions.
        scores[0] += self.baseline[0]
        return scores.sum(axis=0).T

    def _top_position(self, columns: np.ndarray, levels: int, has_missing: bool) -> np.ndarray:
        """The heap position (trees x rows) that each row reaches in each tree after the top `levels` levels.

        Every node of those levels is compared for all rows, a whole feature column at a time (contiguous copies,
        much cheaper than gathering one value per tree and row), and each row's path then picks its comparisons.
        """
        decisions: list[np.ndarray] = []
        turns = np.zeros((len(self.feature), columns.shape[1]), dtype=np.uint8)  # the path's turns as bits, top first
        for level in range(levels):
            first = 2**level - 1
            level_right = [self._goes_right(columns, node, has_missing) for node in range(first, 2 * first + 1)]
            decisions.append(_picked(level_right, decisions))
            turns <<= 1
            turns |= decisions[-1]
        return turns + (2**levels - 1)

    def _descend(self, columns: np.ndarray, node: np.ndarray, level: int, has_missing: bool) -> np.ndarray:
        """From the nodes (trees x rows, flat indices) at `level` down to the leaves, each row's node looked up one
        level at a time; returns the flat leaf indices."""
        n = columns.shape[1]
        flat = columns.ravel()  # flat[feature * n + row]
        rows = np.arange(n)
        feature, threshold, missing_left = self.feature.ravel() * n, self.threshold.ravel(), self.missing_left.ravel()
        for _ in range(level, self.depth):  # take(mode="clip") skips the bounds checks: every index is in range
            values = flat.take(feature.take(node, mode=CLIP) + rows, mode=CLIP)
            right = values > threshold.take(node, mode=CLIP)
            if has_missing:
                right |= np.isnan(values) & ~missing_left.take(node, mode=CLIP)
            node = self.left_child.take(node, mode=CLIP) + right
        return node

    def _goes_right(self, columns: np.ndarray, position: int, has_missing: bool) -> np.ndarray:
        """Whether each row goes right at heap position `position` of every tree (trees x rows)."""
        values = columns.take(self.feature[:, position], axis=0, mode=CLIP)
        right = values > self.threshold[:, position, None]
        if has_missing:
            right |= np.isnan(values) & ~self.missing_left[:, position, None]
        return right


def _picked(level_right: list[np.ndarray], decisions: list[np.ndarray]) -> np.ndarray:
    """For each tree and row, the comparison of the node its path reaches: `level_right` holds one level's
    comparisons in heap order, `decisions` the path's turns above it, from the top (True: right)."""
    if not decisions:
        return level_right[0]
    half = len(level_right) // 2
    return np.where(decisions[0], _picked(level_right[half:], decisions[1:]), _picked(level_right[:half], decisions[1:]))
