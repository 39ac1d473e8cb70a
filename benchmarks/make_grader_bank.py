"""Builds tests/data/grader_bank.jsonl: generated rows from the problem sets + hand-written rows."""
import json
from tutor.solve import differentiate
from tutor.printing import to_text

rows = []
def add(f, a, verdict, diag=(), var=None, order=1, note="", allow=False):
    r = {"function": f, "answer": a, "var": var, "order": order, "verdict": verdict, "diagnoses": list(diag)}
    if note: r["note"] = note
    if allow: r["allow_calculus"] = True
    rows.append(r)

for path in ["tests/data/seeds.jsonl", "tests/data/practice.jsonl"]:
    for line in open(path):
        p = json.loads(line)
        if p.get("order", 1) != 1 or "," in (p.get("var") or ""):
            continue
        sol = differentiate(p["expr"], p["var"])
        ans = to_text(sol.answer)
        add(p["expr"], ans, "correct", var=p["var"], note=p["id"] + " engine answer")
        if ans not in ("0",):
            add(p["expr"], f"-({ans})", "incorrect", ["sign-error"], var=p["var"], note=p["id"] + " sign flipped")
            add(p["expr"], f"3({ans})", "incorrect", ["constant-factor"], var=p["var"], note=p["id"] + " times 3")

H = [
 # tricky but correct
 ("tan x", "sec^2 x", "correct"), ("tan x", "1 + tan^2 x", "correct"), ("ln(x^2)", "2/x", "correct"),
 ("abs(x)", "x/abs(x)", "correct"), ("1/w", "-1/w^2", "correct"), ("1/w", "-w^(-2)", "correct"),
 ("ln(sin x)", "cos(x)/sin(x)", "correct"), ("ln(sin x)", "cot x", "correct"),
 ("(x+1)^3", "3(x+1)^2", "correct"), ("(x+1)^3", "3x^2 + 6x + 3", "correct"),
 ("e^(2 ln x)", "2x", "correct"), ("x^2 e^x", "e^x (x^2 + 2x)", "correct"),
 ("sin(x)^2", "sin(2x)", "correct"), ("cos(x)^2", "-sin(2x)", "correct"),
 ("sqrt(x)", "1/(2 sqrt(x))", "correct"), ("sqrt(x)", "0.5 x^(-1/2)", "correct"),
 ("\\frac{1}{x}", "-\\frac{1}{x^2}", "correct"), ("x^3", "\\frac{d}{dx}x^3", "correct", (), True),
 ("ln(x)", "1/x", "correct"), ("log(x, 2)", "1/(x ln 2)", "correct"), ("2^x", "2^x ln 2", "correct"),
 ("x/(x+1)", "1/(x+1)^2", "correct"), ("(x^2-1)/(x-1)", "1", "correct"),
 ("atan(x)", "1/(1+x^2)", "correct"), ("asin(x)", "1/sqrt(1-x^2)", "correct"),
 ("sinh(x)^2", "sinh(2x)", "correct"), ("exp(3x)", "3 e^(3x)", "correct"),
 # false friends
 ("sin(pi x)", "0", "incorrect"), ("x^2", "2 abs(x)", "incorrect"), ("x^3/3", "abs(x) x", "incorrect"),
 ("x^2", "2x + sin(pi x)", "incorrect"), ("x^2", "2 max(x, 0)", "incorrect"),
 ("sin x", "cos(x) + 0.0001", "incorrect"), ("x^2", "2x + 10^(-3)", "incorrect"),
 ("ln(x)", "1/abs(x)", "correct"),
 # diagnoses
 ("sin(x^2)", "cos(x^2)", "incorrect", ["chain-rule-missing-inner"]),
 ("(3x+1)^5", "5(3x+1)^4", "incorrect", ["chain-rule-missing-inner"]),
 ("e^(x^2)", "e^(x^2)", "incorrect", ["chain-rule-missing-inner"]),
 ("cos(5x)", "-sin(5x)", "incorrect", ["chain-rule-missing-inner"]),
 ("x^2 sin x", "2x cos x", "incorrect", ["product-rule-as-product"]),
 ("x^3 e^x", "3x^2 e^x", "incorrect", ["product-rule-as-product"]),
 ("x^2/(x+1)", "(x^2 - 2x(x+1))/(x+1)^2", "incorrect", ["quotient-rule-reversed"]),
 ("sin(x)/x", "(sin(x) - x cos(x))/x^2", "incorrect", ["quotient-rule-reversed"]),
 ("x^2/(x+1)", "(2x(x+1) - x^2)/(x+1)", "incorrect", ["quotient-rule-no-square"]),
 ("sin(x)/x", "(x cos(x) - sin(x))/x", "incorrect", ["quotient-rule-no-square"]),
 ("x^3", "3x^3", "incorrect", ["power-rule-exponent-kept"]),
 ("x^5 + x", "5x^5 + 1", "incorrect", ["power-rule-exponent-kept"]),
 ("x^4", "x^3", "incorrect", ["power-rule-no-coefficient"]),
 ("x^7 - 2x", "x^6 - 2", "incorrect", ["power-rule-no-coefficient"]),
 ("e^x", "x e^(x-1)", "incorrect", ["exp-as-power"]), ("2^x", "x 2^(x-1)", "incorrect", ["exp-as-power"]),
 ("5^x", "x 5^(x-1)", "incorrect", ["exp-as-power"]),
 ("ln(x^2+1)", "1/(x^2+1)", "incorrect", ["ln-chain-missing"]), ("ln(sin x)", "1/sin(x)", "incorrect", ["ln-chain-missing"]),
 ("ln(3x)", "1/(3x)", "incorrect", ["ln-chain-missing"]),
 ("cos x", "sin x", "incorrect", ["trig-sign"]), ("sin x", "-cos x", "incorrect", ["trig-sign"]),
 ("x + cos x", "1 + sin x", "incorrect", ["trig-sign"]),
 ("x^2 + 5", "2x + 5", "incorrect", ["constant-not-zero"]), ("3x - 7", "3 - 7", "incorrect", ["constant-not-zero"]),
 ("x^3", "-3x^2", "incorrect", ["sign-error"]), ("sin x", "-cos(x)", "incorrect", ["trig-sign"]),
 ("x^3", "6x^2", "incorrect", ["constant-factor"]), ("e^(2x)", "4 e^(2x)", "incorrect", ["constant-factor"]),
 ("e^x", "e^x", "correct"), ("x^3 + 1", "x^3 + 1", "incorrect", ["gave-function"]),
 ("sin x", "sin x", "incorrect", ["gave-function"]),
 ("x^2", "x^3/3", "incorrect", ["gave-antiderivative"]), ("cos x", "sin x", "incorrect", ["gave-antiderivative"]),
 ("x^3", "x^4/4", "incorrect", ["gave-antiderivative"]),
 ("x^2 y", "x^2", "incorrect", ["wrong-variable"], False, "x"), ("x y^3 + x^2", "3 x y^2", "incorrect", ["wrong-variable"], False, "x"),
 ("x^2 y", "2 x y", "correct", (), False, "x"),
 # unreadable / unsafe
 ("x^2", "2x +", "invalid"), ("x^2", "9^9^9^9", "invalid"), ("x^2", "x^(10^100)", "invalid"),
 ("x^2", "(x+1)^100000", "invalid"), ("x^2", "(" * 100000, "invalid"), ("x^2", "", "invalid"),
 ("x^2", "d/dx(x^2)", "invalid"), ("x^2", "2x)", "invalid"), ("x^2", "import os", "incorrect"),
 ("x^2", "__import__('os')", "invalid"), ("x^2", "2 * * x", "invalid"),
 ("x^2", "2t", "incorrect"),
]
for h in H:
    f, a, v = h[0], h[1], h[2]
    diag = h[3] if len(h) > 3 else ()
    allow = h[4] if len(h) > 4 else False
    var = h[5] if len(h) > 5 else None
    add(f, a, v, diag, var=var, allow=allow, note="hand")
with open("tests/data/grader_bank.jsonl", "w") as fh:
    for r in rows:
        fh.write(json.dumps(r) + "\n")
print(len(rows))
