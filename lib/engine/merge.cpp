#include "engine/merge.hpp"

#include <set>
#include <sstream>

namespace closecert::engine {

using nlohmann::json;

namespace {

std::string var(std::size_t layer, std::size_t i, std::size_t j) {
    return "w" + std::to_string(layer) + "_" + std::to_string(i) + "_" + std::to_string(j);
}

bool partial_permutation(const arch::Mask& m) {
    std::vector<int> col_count(m.cols(), 0);
    for (std::size_t i = 0; i < m.rows(); ++i) {
        int row_count = 0;
        for (std::size_t j = 0; j < m.cols(); ++j)
            if (m.at(i, j)) {
                if (++row_count > 1 || ++col_count[j] > 1) return false;
            }
    }
    return true;
}

// A layer being reduced: its mask and, per allowed position, the original variables it stands for.
struct Work {
    arch::Mask mask;
    bool bias = true;
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::string>> product;
};

std::vector<std::string> concat(const std::vector<std::string>& carrier_side, const std::vector<std::string>& other) {
    std::vector<std::string> out = carrier_side;
    out.insert(out.end(), other.begin(), other.end());
    return out;
}

// left = W_{q} (applied after), right = W_{q-1}. `left_is_monomial` says which side is the partial
// permutation: the other side keeps its carriers.
Work merge(const Work& left, const Work& right, bool left_is_monomial) {
    Work out;
    out.mask = arch::boolean_product(left.mask, right.mask);
    out.bias = left.bias && right.bias;
    for (const auto& [lp, lprod] : left.product)
        for (const auto& [rp, rprod] : right.product)
            if (lp.second == rp.first)
                out.product[{lp.first, rp.second}] = left_is_monomial ? concat(rprod, lprod) : concat(lprod, rprod);
    return out;
}

}  // namespace

Reduction merge_monomial_layers(const arch::Architecture& a) {
    std::vector<Work> layers;
    for (std::size_t l = 0; l < a.depth(); ++l) {
        Work w{a.layers[l].mask, a.layers[l].bias, {}};
        for (std::size_t i = 0; i < w.mask.rows(); ++i)
            for (std::size_t j = 0; j < w.mask.cols(); ++j)
                if (w.mask.at(i, j)) w.product[{i, j}] = {var(l + 1, i, j)};
        layers.push_back(std::move(w));
    }
    Reduction r;
    while (layers.size() > 2) {
        std::size_t q = layers.size();
        for (std::size_t l = 0; l < layers.size() && q == layers.size(); ++l)
            if (partial_permutation(layers[l].mask)) q = l;
        if (q == layers.size()) break;
        // Merge into the layer before it (or after it, for the first layer).
        if (q > 0) {
            layers[q - 1] = merge(layers[q], layers[q - 1], true);
        } else {
            layers[1] = merge(layers[1], layers[0], false);
        }
        layers.erase(layers.begin() + static_cast<std::ptrdiff_t>(q));
        ++r.merged_layers;
    }
    r.reduced.name = a.name + " (merged)";
    r.reduced.input_dim = a.input_dim;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        r.reduced.layers.push_back(arch::Layer{layers[l].mask, layers[l].bias});
        for (const auto& [pos, prod] : layers[l].product) r.product_of[var(l + 1, pos.first, pos.second)] = prod;
    }
    return r;
}

std::optional<json> lift_not_closed_proof(const Reduction& r, const json& reduced_proof) {
    // Values of the original variables: carriers take the reduced family's values, the rest 1.
    std::map<std::string, json> value;
    std::set<std::string> carriers;
    for (const auto& layer : reduced_proof.at("family")) {
        const std::size_t l = layer.at("layer").get<std::size_t>();
        for (const auto& e : layer.at("entries")) {
            const auto& prod = r.product_of.at(var(l, e.at("row").get<std::size_t>(), e.at("col").get<std::size_t>()));
            if (!carriers.insert(prod.front()).second) return std::nullopt;
            value[prod.front()] = e.at("value");
            for (std::size_t k = 1; k < prod.size(); ++k) {
                if (carriers.count(prod[k])) return std::nullopt;
                auto [it, fresh] = value.emplace(prod[k], json::array({json::array({"1", 0})}));
                if (!fresh && it->second != json::array({json::array({"1", 0})})) return std::nullopt;
            }
        }
    }
    // A carrier must not also have been set to 1 for another entry.
    for (const auto& c : carriers)
        for (const auto& [name, prod] : r.product_of)
            for (std::size_t k = 1; k < prod.size(); ++k)
                if (prod[k] == c && value.count(prod.front())) return std::nullopt;
    std::map<std::size_t, json> entries;
    for (const auto& [name, val] : value) {
        std::size_t l, i, j;
        char w, u1, u2;
        std::istringstream in(name);
        in >> w >> l >> u1 >> i >> u2 >> j;
        entries[l].push_back({{"row", i}, {"col", j}, {"value", val}});
    }
    json proof = reduced_proof;
    json family = json::array();
    std::size_t depth = 0;
    for (const auto& [name, prod] : r.product_of) depth = std::max(depth, prod.size());
    std::set<std::size_t> layers_seen;
    for (const auto& [name, prod] : r.product_of)
        for (const auto& v : prod) layers_seen.insert(std::stoul(v.substr(1, v.find('_') - 1)));
    for (std::size_t l : layers_seen)
        family.push_back({{"layer", l}, {"entries", entries.count(l) ? entries[l] : json::array()}});
    proof["family"] = std::move(family);
    // Cofactors: substitute each reduced variable by its product of original variables.
    for (auto& c : proof["nonmembership"]["cofactors"]) {
        json poly = json::array();
        for (const auto& term : c["poly"]) {
            json mono = json::object();
            for (const auto& [name, exp] : term[1].items())
                for (const auto& v : r.product_of.at(name))
                    mono[v] = mono.value(v, 0) + exp.get<int>();
            poly.push_back({term[0], std::move(mono)});
        }
        c["poly"] = std::move(poly);
    }
    return proof;
}

}  // namespace closecert::engine
