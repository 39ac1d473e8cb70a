"""The course's other routes to a derivative, on the seeds' own examples: the lab's finite
difference, the derivative at a point, dual numbers (seed 004, eq. 14.7), backpropagation and
gradient descent."""
from tutor.routes.backprop import backprop
from tutor.routes.descent import descend
from tutor.routes.dual import dual_trace
from tutor.routes.numeric import finite_difference

import tutor

print(finite_difference("w^2", "w=3").lab_line)                 # J = 9, J_epsilon = 9.006001, ...
print(tutor.differentiate("1/w^2").at(w=4).to_text())           # ... = -1/32
print(dual_trace("max(y z, y + 2x)", "x", "x=2,y=3,z=-1").to_text())
print(backprop("sin(w1) w2 (1 - w2)", "w1=0,w2=0.5").to_text())
print(descend("(w - 3)^2", "w", start=0, rate=0.1, steps=5).to_text())
