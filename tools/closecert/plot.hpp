// gnuplot for the plots of train and flow: quoting, finding and running it.
#pragma once

#include <string>

namespace closecert::cli {

// A gnuplot string literal.
std::string quote_gnuplot(const std::string& s);
bool on_path(const std::string& prog);
// Runs gnuplot on the script; returns its exit status (or -1 if it could not be started).
int run_gnuplot(const std::string& script);

}  // namespace closecert::cli
