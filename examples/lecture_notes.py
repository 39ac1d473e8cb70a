"""LaTeX for lecture notes: one worked solution as an align* block, and a compilable document.
Run: python examples/lecture_notes.py > notes.tex && pdflatex notes.tex"""
import tutor

solution = tutor.differentiate(r"\sin\left(x^{2}\right) e^{x}")  # LaTeX input works too
print(solution.to_latex(detail="normal", standalone=True))
