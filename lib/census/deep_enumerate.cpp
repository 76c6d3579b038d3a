#include "census/deep_enumerate.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>

namespace closecert::census {

namespace {

// A symmetry as a map of entry positions (0 = the first entry of layer 1's first row).
using PositionMap = std::vector<std::size_t>;

std::vector<std::size_t> offsets(const Widths& w) {
    std::vector<std::size_t> off(w.size(), 0);  // off[l] for layers l = 1..L; off[0] unused
    std::size_t k = 0;
    for (std::size_t l = 1; l < w.size(); ++l) off[l] = k, k += w[l] * w[l - 1];
    return off;
}

void check_widths(const Widths& w) {
    if (w.size() < 2) throw std::invalid_argument("a deep architecture needs at least one layer");
    for (std::size_t x : w)
        if (x == 0) throw std::invalid_argument("widths must be positive");
    if (deep_entries(w) > kDeepMaxEntries)
        throw std::invalid_argument("too many mask entries to enumerate (" + std::to_string(deep_entries(w)) + " > " +
                                    std::to_string(kDeepMaxEntries) + ")");
}

// Every symmetry of widths w (which must be the smaller orientation): the unit permutations of each
// layer, composed with transposition when w is a palindrome.
std::vector<PositionMap> symmetry_group(const Widths& w) {
    const std::size_t L = w.size() - 1, n = deep_entries(w);
    const auto off = offsets(w);
    std::vector<std::vector<std::vector<std::size_t>>> perms(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
        std::vector<std::size_t> p(w[k]);
        std::iota(p.begin(), p.end(), 0);
        do perms[k].push_back(p);
        while (std::next_permutation(p.begin(), p.end()));
    }
    Widths rev(w.rbegin(), w.rend());
    const bool palindrome = rev == w;
    std::vector<PositionMap> group;
    std::vector<std::size_t> choice(w.size(), 0);
    for (;;) {
        for (int flip = 0; flip <= (palindrome ? 1 : 0); ++flip) {
            PositionMap map(n);
            for (std::size_t l = 1; l <= L; ++l)
                for (std::size_t i = 0; i < w[l]; ++i)
                    for (std::size_t j = 0; j < w[l - 1]; ++j) {
                        // Transposition: entry (l, i, j) becomes entry (L + 1 - l, j, i).
                        const std::size_t l2 = flip ? L + 1 - l : l, r = flip ? j : i, c = flip ? i : j;
                        const std::size_t r2 = perms[l2][choice[l2]][r], c2 = perms[l2 - 1][choice[l2 - 1]][c];
                        map[off[l] + i * w[l - 1] + j] = off[l2] + r2 * w[l2 - 1] + c2;
                    }
            group.push_back(std::move(map));
        }
        std::size_t k = 0;
        while (k < w.size() && ++choice[k] == perms[k].size()) choice[k++] = 0;
        if (k == w.size()) break;
    }
    return group;
}

DeepCode apply(const PositionMap& map, DeepCode code, std::size_t n) {
    DeepCode out = 0;
    for (std::size_t p = 0; p < n; ++p)
        if ((code >> (n - 1 - p)) & 1u) out |= DeepCode{1} << (n - 1 - map[p]);
    return out;
}

Widths widths_of(const std::vector<arch::Mask>& masks) {
    if (masks.empty()) throw std::invalid_argument("a deep architecture needs at least one layer");
    Widths w{masks[0].cols()};
    for (std::size_t l = 0; l < masks.size(); ++l) {
        if (masks[l].cols() != w.back())
            throw std::invalid_argument("layer " + std::to_string(l + 1) + " has " + std::to_string(masks[l].cols()) +
                                        " columns, the layer below has " + std::to_string(w.back()) + " units");
        w.push_back(masks[l].rows());
    }
    return w;
}

DeepClass make_class(const Widths& w, DeepCode code) {
    DeepClass c;
    c.widths = w;
    c.code = code;
    c.masks = deep_masks(w, code);
    c.key = deep_key(c.masks);
    return c;
}

}  // namespace

std::size_t deep_entries(const Widths& w) {
    std::size_t n = 0;
    for (std::size_t l = 1; l < w.size(); ++l) n += w[l] * w[l - 1];
    return n;
}

std::string widths_label(const Widths& w) {
    std::string s;
    for (std::size_t x : w) s += (s.empty() ? "" : "-") + std::to_string(x);
    return s;
}

std::vector<Widths> deep_width_tuples(std::size_t depth, std::size_t min_width, std::size_t max_width) {
    std::vector<Widths> out;
    if (depth == 0 || min_width == 0 || min_width > max_width) return out;
    Widths w(depth + 1, min_width);
    for (;;) {
        if (!std::lexicographical_compare(w.rbegin(), w.rend(), w.begin(), w.end())) out.push_back(w);
        std::size_t k = w.size();
        while (k > 0 && w[k - 1] == max_width) w[--k] = min_width;
        if (k == 0) break;
        ++w[k - 1];
    }
    return out;
}

std::vector<arch::Mask> deep_masks(const Widths& w, DeepCode code) {
    check_widths(w);
    const std::size_t n = deep_entries(w);
    std::vector<arch::Mask> masks;
    std::size_t p = 0;
    for (std::size_t l = 1; l < w.size(); ++l) {
        arch::Mask m(w[l], w[l - 1]);
        for (std::size_t i = 0; i < w[l]; ++i)
            for (std::size_t j = 0; j < w[l - 1]; ++j, ++p) m.set(i, j, (code >> (n - 1 - p)) & 1u);
        masks.push_back(std::move(m));
    }
    return masks;
}

DeepCode deep_code(const std::vector<arch::Mask>& masks) {
    const Widths w = widths_of(masks);
    check_widths(w);
    DeepCode code = 0;
    for (const arch::Mask& m : masks)
        for (std::size_t i = 0; i < m.rows(); ++i)
            for (std::size_t j = 0; j < m.cols(); ++j) code = (code << 1) | (m.at(i, j) ? 1u : 0u);
    return code;
}

std::string deep_key(const std::vector<arch::Mask>& masks) {
    std::string s = widths_label(widths_of(masks)) + ":";
    for (std::size_t l = 0; l < masks.size(); ++l) {
        if (l) s += ',';
        for (std::size_t i = 0; i < masks[l].rows(); ++i) {
            if (i) s += '.';
            for (std::size_t j = 0; j < masks[l].cols(); ++j) s += masks[l].at(i, j) ? '1' : '0';
        }
    }
    return s;
}

std::vector<DeepClass> enumerate_deep(const Widths& w, DeepEnumerationStats* stats) {
    const auto start = std::chrono::steady_clock::now();
    check_widths(w);
    if (std::lexicographical_compare(w.rbegin(), w.rend(), w.begin(), w.end()))
        throw std::invalid_argument("widths " + widths_label(w) + ": enumerate the reversed widths instead");
    const std::size_t n = deep_entries(w);
    const std::vector<PositionMap> group = symmetry_group(w);
    std::vector<DeepClass> out;
    const DeepCode total = DeepCode{1} << n;
    if (n <= 20) {
        // Small: test each code for being the least of its orbit (no memory beyond the output).
        for (DeepCode code = 0; code < total; ++code) {
            bool least = true;
            for (const PositionMap& g : group)
                if (apply(g, code, n) < code) {
                    least = false;
                    break;
                }
            if (least) out.push_back(make_class(w, code));
        }
    } else {
        // Large: the first unseen code is the least of its orbit; mark the whole orbit seen
        // (2^n bits, 16 MiB at 27 entries), so each orbit is walked once instead of each code.
        std::vector<std::uint64_t> seen(static_cast<std::size_t>(total / 64 + 1), 0);
        for (DeepCode code = 0; code < total; ++code) {
            if ((seen[code >> 6] >> (code & 63)) & 1u) continue;
            out.push_back(make_class(w, code));
            for (const PositionMap& g : group) {
                const DeepCode img = apply(g, code, n);
                seen[img >> 6] |= std::uint64_t{1} << (img & 63);
            }
        }
    }
    if (stats) {
        stats->labelled = static_cast<std::size_t>(total);
        stats->group_order = group.size();
        stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return out;
}

DeepClass canonical_deep(const std::vector<arch::Mask>& masks) {
    Widths w = widths_of(masks);
    check_widths(w);
    std::vector<arch::Mask> oriented = masks;
    if (std::lexicographical_compare(w.rbegin(), w.rend(), w.begin(), w.end())) {
        oriented.clear();
        for (auto it = masks.rbegin(); it != masks.rend(); ++it) oriented.push_back(it->transposed());
        w = Widths(w.rbegin(), w.rend());  // not assign() from its own iterators
    }
    const std::size_t n = deep_entries(w);
    const DeepCode code = deep_code(oriented);
    DeepCode best = code;
    for (const PositionMap& g : symmetry_group(w)) best = std::min(best, apply(g, code, n));
    return make_class(w, best);
}

arch::Architecture deep_architecture(const std::vector<arch::Mask>& masks, const std::string& name) {
    const Widths w = widths_of(masks);
    arch::Architecture a;
    a.name = name;
    a.input_dim = w[0];
    for (const arch::Mask& m : masks) a.layers.push_back(arch::Layer{m, true});
    a.validate();
    return a;
}

std::vector<std::vector<std::string>> mask_rows(const std::vector<arch::Mask>& masks) {
    std::vector<std::vector<std::string>> out;
    for (const arch::Mask& m : masks) {
        std::vector<std::string> rows;
        for (std::size_t i = 0; i < m.rows(); ++i) {
            std::string r;
            for (std::size_t j = 0; j < m.cols(); ++j) r += m.at(i, j) ? '1' : '0';
            rows.push_back(std::move(r));
        }
        out.push_back(std::move(rows));
    }
    return out;
}

std::vector<arch::Mask> masks_from_rows(const std::vector<std::vector<std::string>>& rows) {
    std::vector<arch::Mask> masks;
    for (const auto& layer : rows) {
        if (layer.empty() || layer[0].empty()) throw std::invalid_argument("empty mask");
        arch::Mask m(layer.size(), layer[0].size());
        for (std::size_t i = 0; i < layer.size(); ++i) {
            if (layer[i].size() != m.cols()) throw std::invalid_argument("ragged mask rows");
            for (std::size_t j = 0; j < m.cols(); ++j) {
                if (layer[i][j] != '0' && layer[i][j] != '1') throw std::invalid_argument("mask entries must be 0 or 1");
                m.set(i, j, layer[i][j] == '1');
            }
        }
        masks.push_back(std::move(m));
    }
    widths_of(masks);  // throws when the shapes do not chain
    return masks;
}

}  // namespace closecert::census
