"""A homework grader embedding tutor: mark each student's answer, explain the mistake, emit JSON
an LMS can store. Never raises on student input; exit status 0."""
import json

import tutor

SUBMISSIONS = [
    ("sin(x^2)", "2x cos(x^2)"),          # correct
    ("sin(x^2)", "cos(x^2)"),             # forgot the inner derivative
    ("x^3", "3x^3"),                      # kept the exponent
    ("tan x", "1 + tan^2 x"),             # tricky but correct
    ("e^x", "x e^(x-1)"),                 # treated e^x as a power
    ("ln x", "2/x +"),                    # unreadable: the verdict explains, no exception
    (r"\frac{1}{w^2}", r"-\frac{2}{w^{3}}"),  # LaTeX from a MathQuill box
]

for function, answer in SUBMISSIONS:
    verdict = tutor.check(function, answer)
    record = verdict.to_dict()
    print(json.dumps({"function": function, "answer": answer, "verdict": record["verdict"],
                      "score": record["score"],
                      "diagnoses": [d["id"] for d in record["diagnoses"]]}))
