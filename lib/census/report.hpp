// Human-readable outputs of a sweep: summary.md and the plot (gnuplot, run as a subprocess).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "census/records.hpp"

namespace closecert::census {

struct SizeReport {
    std::string label;                    // "2x3x2"
    Summary summary;
    double engine_seconds = 0.0;          // sum of per-pattern engine times
    std::size_t obstructions = 0;
    std::size_t undetermined = 0;         // not closed with an unknown maximal window
    std::vector<nlohmann::json> unknowns; // their records
};

std::string summary_markdown(const std::vector<SizeReport>& sizes, const std::vector<nlohmann::json>& obstructions,
                             const std::string& regenerate_command);

// Writes summary.dat and summary.gp into dir and runs gnuplot there to make summary.svg.
// Returns false (with why) when gnuplot is missing or fails; the .dat and .gp stay either way.
bool write_plot(const std::string& dir, const std::vector<SizeReport>& sizes, std::string& why);

}  // namespace closecert::census
