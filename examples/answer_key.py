"""A teacher's answer key: worked solutions of a problem set, as Markdown (renders on GitHub
and in Jupyter). Run: python examples/answer_key.py > key.md"""
import tutor

PROBLEMS = ["3x^3 - 3x + 5", "sin(x^2)", "1/w^2", "(x^2 + 1)/(x - 1)", "x^2 e^(3x)", "ln(sqrt(x^2 + 1))"]

for number, problem in enumerate(PROBLEMS, 1):
    solution = tutor.differentiate(problem)
    print(f"### Problem {number}\n")
    print(solution.to_markdown())
    print()
