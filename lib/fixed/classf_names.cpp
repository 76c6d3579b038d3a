// Names of the functions of `closecert classf` (no Arb here: the command line and the file
// formats need them without loading the Arb module).
#include "fixed/classf.hpp"

namespace closecert::fixed {

std::optional<Function> function_from_name(const std::string& name) {
    for (Function f : {Function::tanh, Function::logistic, Function::arctan, Function::softplus, Function::silu, Function::leaky_relu})
        if (function_name(f) == name) return f;
    return std::nullopt;
}

std::string function_name(Function f) {
    switch (f) {
    case Function::tanh: return "tanh";
    case Function::logistic: return "logistic";
    case Function::arctan: return "arctan";
    case Function::softplus: return "softplus";
    case Function::silu: return "silu";
    case Function::leaky_relu: return "leaky_relu";
    }
    return "";
}

}  // namespace closecert::fixed
