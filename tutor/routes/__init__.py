"""The other routes to a derivative the course notes teach, each computing a record only.

At a point, finite differences, gradients and Hessians, dual numbers, backpropagation and
gradient descent. What they share lives here once: `points` reads points, vectors and variable
choices for every route; `graph` is the computation graph with its local partials taken from
the worked solutions' engine and rules, and the one convention per kink (`kinks`) that every
route follows. The records are rendered by `tutor.render` (`routes_*` modules) and the
command-line handlers live in `tutor.commands`, which no route imports.
"""
