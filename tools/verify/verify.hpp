// The three proof checkers; each throws Reject naming the failing step.
#pragma once

#include "arch.hpp"

#include <map>
#include <set>
#include <utility>

namespace verify {

using Cell = std::pair<std::size_t, std::size_t>;
using LaurentMatrix = std::map<Cell, Laurent>;  // sparse, no zero entries

// What a verified "not closed" proof establishes, for the ReLU transfer.
struct Witness {
    std::vector<LaurentMatrix> family;  // family[l-1] = W_l(t)
    LaurentMatrix product;              // P(t) = W_L(t) ... W_1(t)
    std::map<Cell, Rational> limit;    // A
};

// Array of {"row", "col", "value": laurent} at mask positions of layer l, each position once.
LaurentMatrix parse_entries(const json& v, const Arch& a, std::size_t l, const std::string& path);

Witness check_linear_open(const json& proof, const Arch& a, const std::string& path, Tally& tally);
void check_linear_closed(const json& proof, const Arch& a, const std::string& path, Tally& tally);
// A two-layer proof tree (linear_closed.cpp) rooted at `root`, for all hidden units and no forgotten cells.
void check_two_layer(const json& root, const Arch& a, const std::string& path, Tally& tally);
// A deep proof node (deep.cpp): any depth, the node's architecture is `a`.
void check_deep(const json& node, const Arch& a, const std::string& path, Tally& tally);
// Rule `disjoint_paths` of a deep proof (deep_paths.cpp).
void check_disjoint_paths(const json& node, const Arch& a, const std::string& path);
// Rule `twin` of a deep proof (deep_twin.cpp).
void check_twin(const json& node, const Arch& a, const std::string& path);
// Rule `free_layer` of a deep proof (deep_free_layer.cpp).
void check_free_layer(const json& node, const Arch& a, const std::string& path);
// Rule `borel` of a deep proof (borel.cpp).
void check_borel(const json& node, const Arch& a, const std::string& path, Tally& tally);
// Lemma F (case_tree.cpp): `tree` proves that the group's terms (term k on I[k] x J[k]) realise every
// real matrix on omega, the group's visible cells.
void check_case_tree(const json& tree, const std::string& path, const std::vector<std::size_t>& group,
                     const std::vector<std::set<std::size_t>>& I, const std::vector<std::set<std::size_t>>& J,
                     const std::set<Cell>& omega, Tally& tally);
// `open` is the verified linear witness, or null when the linear claim is not "not_closed".
void check_relu(const json& proof, const Arch& a, const Witness* open, const std::string& path, Tally& tally);

// Documents (document.cpp). The certificate text parsed strictly: malformed JSON, a repeated key,
// a number beyond a double or nesting over 256 levels is an InputError.
inline constexpr std::size_t kMaxFileBytes = 32u << 20;  // nlohmann-json needs about 12 bytes per byte of text
json parse_document(const std::string& text);

// A defect of the ARCH file (not of the certificate): reported as unreadable input of that file.
struct ArchFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Certificates of the neighbouring results carry a "kind" (absent: "closedness", the linear and
// ReLU claims about an architecture). Each kind has one checker file, registered in kinds.cpp; it
// returns a one-line summary of what it verified and the facts as JSON (for --json).
struct KindResult {
    std::string summary;
    json facts = json::object();
};
// `input` is the optional second argument (the network or data the certificate must be about), or
// null; `input_name` is its file name, for rejections. A defect of the input is an ArchFileError.
using KindChecker = KindResult (*)(const json& cert, const json* input, const std::string& input_name, Tally& tally);
// The checker of `kind`, or null when the kind is unknown. "closedness" is not in the table.
KindChecker kind_checker(const std::string& kind);

// SHA-256 (sha256.cpp): of a text, and of an architecture's canonical form (docs/certificates.md).
std::string sha256_hex(const std::string& text);
std::string architecture_sha256(const Arch& a);

struct Verified {
    std::string kind = "closedness";
    std::string linear, relu;  // the claims (kind "closedness")
    std::string architecture_sha256;
    KindResult other;          // any other kind
    Tally tally;
};

// Checks a certificate, and with arch_file that it is about that architecture (named arch_name in
// the rejection). Throws InputError, ArchFileError or Reject.
Verified verify_documents(const json& cert, const json* arch_file, const std::string& arch_name);

}  // namespace verify
