"""Built-in data with a binary target, returned as regviz.datasets.Dataset like the rest.

* ``breast_cancer()``: the Wisconsin Diagnostic Breast Cancer table (569 x 30),
  from the UCI Machine Learning Repository (Wolberg, Street and Mangasarian,
  1995), shipped as a CSV in the package; the values are the copy bundled with
  scikit-learn (``sklearn/datasets/data/breast_cancer.csv``).
* ``diagnosis_cohort()``: the synthetic marker study of the diagnosis lesson
  (regviz.diagnosis), as a table.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from regviz.datasets import Dataset


def breast_cancer() -> Dataset:
    """Malignant or benign, from 30 measurements of cell nuclei in a breast-mass image."""
    with resources.files("regviz.data_files").joinpath("breast_cancer.csv").open("rb") as fh:
        frame = pd.read_csv(fh)
    n_malignant = int((frame["diagnosis"] == "malignant").sum())
    return Dataset(
        name=f"Breast cancer ({len(frame)} tumours)",
        frame=frame,
        target="diagnosis",
        description=(
            f"{len(frame)} breast masses, {n_malignant} malignant and "
            f"{len(frame) - n_malignant} benign, each described by 30 measurements of the "
            "cell nuclei in a digitized image (mean, standard error and worst value of ten "
            "features such as radius, texture and concavity). The Wisconsin Diagnostic "
            "Breast Cancer data (Wolberg, Street and Mangasarian, UCI Machine Learning "
            "Repository)."
        ),
    )


def diagnosis_cohort(n: int = 300, p: int = 1000, seed: int = 0) -> Dataset:
    """The diagnosis lesson's cohort: ``p`` markers, 5 of which drive the outcome."""
    from regviz.diagnosis import simulate_cohort

    cohort = simulate_cohort(n=n, p=p, seed=seed)
    frame = pd.DataFrame(cohort.X, columns=list(cohort.names))
    frame["disease"] = cohort.y.astype(int)
    return Dataset(
        name=f"Diagnosis cohort ({n} patients, {p} markers)",
        frame=frame,
        target="disease",
        description=(f"{n} simulated patients with {p} markers each; only "
                     f"{len(cohort.drivers)} markers change the odds of disease."),
        true_coef={cohort.names[j]: float(cohort.coef[j]) for j in cohort.drivers},
        junk=tuple(name for j, name in enumerate(cohort.names) if cohort.coef[j] == 0),
    )


BUILTIN_CLASSIFICATION = {"breast_cancer": breast_cancer, "diagnosis_cohort": diagnosis_cohort}
