"""Home: what each lesson shows, in a few lines."""

import streamlit as st

st.title("regviz: how L1, L2 and elastic net regularize")
st.markdown(
    "Regularization adds a penalty on the size of a model's coefficients to the data-fit "
    "error, trading a little bias for a lot less variance. **L1 (lasso)** sets some "
    "coefficients to exactly zero; **L2 (ridge)** shrinks all of them but keeps every one; "
    "**elastic net** mixes the two. Every number on these pages is computed live by an "
    "exact solver, so you can test each claim yourself."
)
st.latex(r"L(w,b)=\tfrac{1}{n}\sum_i\bigl(y_i-b-x_i^\top w\bigr)^2+\lambda\,P(w)")
st.markdown(
    "**Lessons**\n"
    "- **Coefficient paths**: drag λ and watch every coefficient, the training, test and "
    "cross-validated error, and the objective's numbers change together."
)
st.page_link("pages/paths.py", label="Open the coefficient paths")
