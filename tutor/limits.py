"""The documented limits on untrusted input (README, "Limits"). One place, so the
parser, the engine, the evaluator and the grader agree and the README can quote them."""

MAX_INPUT_CHARS = 200_000      # longer input is refused before parsing
MAX_DEPTH = 10_000             # nesting levels of the parsed tree (brackets, functions, powers)
MAX_NODES = 200_000            # nodes of the parsed tree
MAX_ORDER = 20                 # highest derivative order asked of `diff`
MAX_EXPONENT = 10_000          # |integer exponent| evaluated exactly; beyond, floats or refusal
MAX_DIGITS = 5_000             # digits of an exact intermediate number before the evaluator stops
MAX_NUMERAL_DIGITS = 4_000     # digits of a number as typed: under Python's 4,300-digit str(int)
                                #   limit, so every number read can also be printed
LINE_BUDGET = 400_000          # total nodes over all blackboard lines before steps are summarised
MAX_WORD_LETTERS = 100         # letters in one run (`xxxx...` is a product of that many factors)
MAX_DERIVATION_NODES = 150_000  # nodes the rules of one derivation (one variable, one order) may build
MAX_GRADIENT_VARIABLES = 100   # variables of one gradient (each partial a whole derivation)
MAX_HESSIAN_ENTRIES = 400      # entries of one Hessian (n^2: 20 variables)
ORDER_WORK = 4_000              # nodes of the raw derivatives after the first, in all, in one budget
                                #   (engine.order_budget): each counted before it is simplified
