"""Fast prediction for boosted trees (the second stage, the context trees of the first) from plain arrays: the same
probabilities as the fitted HistGradientBoostingClassifier's predict_proba, with numpy alone.

scikit-learn walks each of the small trees (the second stage has 100 rounds x 6 labels) for every row with a branch per
node; on real features those branches are unpredictable and cost most of the time. Here every tree is
padded to a complete tree of the ensemble's depth (a leaf above the bottom becomes a node that always
goes left, down to copies of the leaf), and all trees descend one level at a time for a block of rows
as numpy operations, without a branch: the top levels' nodes compare whole feature columns, the deeper
ones gather one value per tree and row. Missing values follow each node's learned side,
as in scikit-learn. Raw scores are summed in scikit-learn's order (baseline, then round after round)
and turned into probabilities as its loss does (a softmax; the logistic function for two classes).

`Forest.of` reads a fitted model; `Forest.arrays` and `Forest.from_arrays` are what a model file stores.
tests/test_fast_paths.py checks the probabilities against scikit-learn's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

ROWS_PER_BLOCK = 128  # rows that descend together: (trees x rows) arrays of this width stay in the CPU cache
MAX_COMPILED_DEPTH = 8  # deeper trees would pad to 2**depth leaves each
# The nodes of the top levels are compared for all rows, whole feature columns at a time (cheap contiguous
# reads), and each row then picks its branch; below them, each row's node is looked up one level at a time.
# Three levels (7 nodes a tree) measured fastest for depth-4 trees: 1.8x faster than two, and four were slower.
TOP_LEVELS = 3  # at most 7: a row's heap position below them (2**(levels + 1) - 2 at most) is one byte
CLIP = "clip"  # numpy's take without the bounds checks of indexing (the indices are in range by construction)
ARRAYS = ("feature", "threshold", "missing_left", "leaf", "baseline", "classes")  # what a model file stores


class Forest:
    """Boosted trees as flat arrays: `rounds` rounds of one tree per class (one in all for two classes), complete
    trees of `depth` levels, and the classes (label numbers) their probability columns stand for."""

    def __init__(self, feature: np.ndarray, threshold: np.ndarray, missing_left: np.ndarray, leaf: np.ndarray,
                 baseline: np.ndarray, classes: np.ndarray) -> None:
        self.feature, self.threshold = np.asarray(feature, dtype=np.intp), np.asarray(threshold, dtype=np.float64)
        self.missing_left, self.leaf = np.asarray(missing_left, dtype=bool), np.asarray(leaf, dtype=np.float64)
        self.classes_ = np.asarray(classes)
        self.trees_per_round = np.asarray(baseline).size
        self.baseline = np.asarray(baseline, dtype=np.float64).reshape(1, self.trees_per_round, 1)
        self.depth = int(np.log2(self.leaf.shape[1]))
        self.rounds = len(self.feature) // self.trees_per_round
        inner, leaves, trees = 2**self.depth - 1, 2**self.depth, len(self.feature)
        # Where each node's left child sits in the flat node array (the right child is next to it); below the
        # last level of nodes, the children are the leaves, numbered in the flat leaf array.
        heap = np.arange(inner)
        children = np.where(2 * heap + 1 < inner, 2 * heap + 1, 2 * heap + 1 - inner)
        below = np.where(2 * heap + 1 < inner, inner, leaves)
        self.left_child = (np.arange(trees)[:, None] * below[None, :] + children[None, :]).ravel()
        self.roots = (np.arange(trees) * inner)[:, None]
        self.leaf_roots = (np.arange(trees) * leaves)[:, None]

    @classmethod
    def of(cls, model: Any) -> Forest:
        """The trees of a fitted HistGradientBoostingClassifier; ValueError if they are categorical or too deep."""
        predictors = [tree for round_ in model._predictors for tree in round_]
        depth = max((int(tree.nodes["depth"].max()) for tree in predictors), default=0)
        if not predictors or any(tree.nodes["is_categorical"].any() for tree in predictors):
            raise ValueError("only boosted trees with numerical splits can be stored as arrays")
        if not 0 <= depth <= MAX_COMPILED_DEPTH:
            raise ValueError(f"trees of depth {depth} cannot be stored as arrays (0 to {MAX_COMPILED_DEPTH} levels)")
        inner, trees = 2**depth - 1, len(predictors)
        arrays = {"feature": np.zeros((trees, inner), dtype=np.intp),
                  "threshold": np.full((trees, inner), np.inf),  # padding nodes: everything goes left
                  "missing_left": np.ones((trees, inner), dtype=bool), "leaf": np.zeros((trees, 2**depth))}
        for t, tree in enumerate(predictors):
            _fill(arrays, t, tree.nodes, 0, 0, 0, depth)
        return cls(**arrays, baseline=np.asarray(model._baseline_prediction).ravel(), classes=model.classes_)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that make this forest again with `from_arrays`."""
        return {"feature": self.feature, "threshold": self.threshold, "missing_left": self.missing_left,
                "leaf": self.leaf, "baseline": self.baseline.ravel(), "classes": self.classes_}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Forest:
        return cls(**{name: arrays[name] for name in ARRAYS})

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, as the fitted model's predict_proba gives them."""
        X = np.asarray(X, dtype=np.float64)
        if not len(X):
            return np.zeros((0, len(self.classes_)))
        raw = np.vstack([self._raw(X[start : start + ROWS_PER_BLOCK]) for start in range(0, len(X), ROWS_PER_BLOCK)])
        if self.trees_per_round == 1:  # two classes: one score, the log-odds of the second
            second = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.column_stack([1 - second, second])
        exp = np.exp(raw - raw.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

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
        scores = self.leaf.ravel().take(node, mode=CLIP).reshape(self.rounds, self.trees_per_round, n)
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



def _fill(arrays: dict[str, np.ndarray], t: int, nodes: np.ndarray, node: int, position: int, depth: int,
          total_depth: int) -> None:
    """Copy node `node` of tree `t` to heap position `position`, padding leaves down to the full depth."""
    record = nodes[node]
    if record["is_leaf"]:
        span = 2 ** (total_depth - depth)
        first = (position + 1) * span - 1 - (2**total_depth - 1)  # its leftmost descendant at the bottom
        arrays["leaf"][t, first : first + span] = record["value"]
        return
    arrays["feature"][t, position] = record["feature_idx"]
    arrays["threshold"][t, position] = record["num_threshold"]
    arrays["missing_left"][t, position] = bool(record["missing_go_to_left"])
    _fill(arrays, t, nodes, int(record["left"]), 2 * position + 1, depth + 1, total_depth)
    _fill(arrays, t, nodes, int(record["right"]), 2 * position + 2, depth + 1, total_depth)


def _picked(level_right: list[np.ndarray], decisions: list[np.ndarray]) -> np.ndarray:
    """For each tree and row, the comparison of the node its path reaches: `level_right` holds one level's
    comparisons in heap order, `decisions` the path's turns above it, from the top (True: right)."""
    if not decisions:
        return level_right[0]
    half = len(level_right) // 2
    return np.where(decisions[0], _picked(level_right[half:], decisions[1:]), _picked(level_right[:half], decisions[1:]))
