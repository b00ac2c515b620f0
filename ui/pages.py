"""The lessons, in teaching order: app.py registers them, the home page links to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    file: str
    title: str
    url_path: str
    blurb: str
    minutes: int


LESSONS = [
    Lesson("pages/paths.py", "Coefficient paths", "paths",
           "Drag λ and watch every coefficient, the train, test and cross-validated error and "
           "the objective's numbers change together; see where each feature enters.", 10),
    Lesson("pages/geometry.py", "Constraint geometry", "geometry",
           "The diamond, the circle and the rounded diamond: where the loss first touches each, "
           "why that point sits on a corner for L1, and the λ ↔ budget mapping.", 8),
    Lesson("pages/house-prices.py", "House prices", "house-prices",
           "Real features and junk (mailbox colour, the dog's name): L1 zeroes the junk, L2 "
           "keeps it tiny; overfitting with 135 engineered features; why standardize.", 10),
    Lesson("pages/sparsity.py", "Sparsity lab", "sparsity",
           "Five experiments: exact zeros against λ, why corners win (10,000 random losses), "
           "ten true features among 500, correlated twins, and who predicts better.", 10),
    Lesson("pages/zeros-made.py", "How the zeros are made", "zeros-made",
           "One coefficient's soft-threshold, four optimizers racing to exact zeros (or not), "
           "whether L1 is slower to train, and bias and variance against λ.", 12),
    Lesson("pages/diagnosis.py", "Diagnosis: 1,000 markers", "diagnosis",
           "Logistic regression on a simulated study: does L1 find the 5 driver markers among "
           "1,000, is L2 more accurate over repeated cohorts, and the 100%-on-training trap.",
           8),
    Lesson("pages/your-data.py", "Your data", "your-data",
           "Upload a CSV (messy ones welcome): pick the target and features, see what was "
           "cleaned, then use it on every lesson page and take the results away.", 5),
]


def all_pages() -> list:
    """The st.Page list app.py navigates: home first, then the lessons in teaching order."""
    import streamlit as st

    return [
        st.Page("pages/home.py", title="Home", default=True),
        *(st.Page(lesson.file, title=lesson.title, url_path=lesson.url_path)
          for lesson in LESSONS),
    ]
