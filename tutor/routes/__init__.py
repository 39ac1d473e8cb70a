"""The other routes to a derivative the course notes teach, each computing a record only.

At a point, finite differences, gradients and Hessians, dual numbers, backpropagation and
gradient descent. Each module computes; the records are rendered by `tutor.render` and the
command-line handlers live in `tutor.commands`.
"""
