// Proofs that a sub-pattern's set is closed, as certificate proof trees (docs/certificates.md):
// components (Lemma C), class, absorb (Lemma V), chain (Lemma E), rotate (Lemma K).
#pragma once

#include <optional>
#include <cstdint>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "engine/deadline.hpp"
#include "engine/subpattern.hpp"

namespace closecert::engine {

struct Stuck {
    SubPattern where;     // the sub-pattern no rule could settle
    std::string reason;
};

class ClosedProver {
public:
    ClosedProver(const arch::Pattern& p, const Deadline& deadline) : pattern_(p), deadline_(deadline) {}
    // Proof node for the whole pattern, or nullopt (then stuck() says where).
    std::optional<nlohmann::json> prove_all();
    std::optional<nlohmann::json> prove(const SubPattern& sp);
    const std::optional<Stuck>& stuck() const { return stuck_; }
    SubPattern root() const;

private:
    std::optional<nlohmann::json> prove_uncached(const SubPattern& sp);
    std::optional<nlohmann::json> try_absorb(const SubPattern& sp, const std::vector<std::vector<std::size_t>>& classes);
    std::optional<nlohmann::json> try_chain(const SubPattern& sp);
    std::optional<nlohmann::json> try_rotate(const SubPattern& sp, const std::vector<std::vector<std::size_t>>& classes);
    nlohmann::json header(const SubPattern& sp, const char* rule) const;

    const arch::Pattern& pattern_;
    const Deadline& deadline_;
    std::optional<Stuck> stuck_;
    // Sub-patterns already shown unprovable (hash of terms and forgotten cells), and a bound on
    // prove() calls: absorb alternatives would otherwise branch exponentially on non-closed patterns.
    std::unordered_set<std::uint64_t> failed_;
    std::size_t budget_ = 20000;
};

// Sub-pattern restricted to `terms`, with `forgotten` normalised to their rectangles.
SubPattern make_subpattern(const arch::Pattern& p, std::vector<std::size_t> terms, const CellSet& forgotten);
std::string describe(const SubPattern& sp);
// Lemma V: the class's visible cells carry every matrix (rank bound fills the rectangle, or the
// cells lie in one row, one column, or form a matching).
// The term's visible cells split into blocks (connected through shared rows and columns) that are
// all full rectangles: then a class's set is the product of rank sets on the blocks.
bool visible_blocks_are_rectangles(const SubPattern& sp, std::size_t k);
bool class_is_full(const SubPattern& sp, const std::vector<std::size_t>& cls);

}  // namespace closecert::engine
