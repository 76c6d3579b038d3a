// Kind "fixed" (docs/fixed.md): the certificate is bound to its network, its proof rule derives
// the fixed points, and the claim must list exactly those. Rule pwl_partition (piecewise linear
// activations): the certificate names a partition of the line; exact forward passes show that
// every unit is affine on each cell, and f(x) = x is solved on each cell.
#include "fixed.hpp"

#include <cmath>
#include <optional>

namespace verify {

namespace {

std::vector<Rational> kinks(const FixedLayer& l) {
    if (l.act == Act::hardtanh) return {Rational(-1), Rational(1)};
    if (l.act == Act::identity) return {};
    return {Rational(0)};
}

Rational activate(const FixedLayer& l, const Rational& z) {
    switch (l.act) {
    case Act::relu: return z < 0 ? Rational(0) : z;
    case Act::leaky_relu: return z < 0 ? Rational(l.slope * z) : z;
    case Act::hardtanh: return z > 1 ? Rational(1) : z < -1 ? Rational(-1) : z;
    default: return z;
    }
}

using End = std::optional<Rational>;
struct Piece {
    End lo, hi;
};

std::string end_text(const End& e, bool upper) { return e ? e->str() : upper ? "+inf" : "-inf"; }
std::string piece_text(const Piece& p) {
    return (p.lo ? "[" : "(") + end_text(p.lo, false) + ", " + end_text(p.hi, true) + (p.hi ? "]" : ")");
}
std::string plural(std::size_t n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// What a claimed component should have been, for the rejection.
std::string describe(const json& c) {
    if (c.contains("point")) return "the point " + c["point"].get<std::string>();
    if (c.contains("isolated")) return "a fixed point isolated in [" + c["isolated"][0].get<std::string>() + ", " + c["isolated"][1].get<std::string>() + "]";
    const json& iv = c["interval"];
    return std::string("the interval ") + (iv[0].is_null() ? "(-inf" : "[" + iv[0].get<std::string>()) + ", " +
           (iv[1].is_null() ? "+inf)" : iv[1].get<std::string>() + "]");
}

}  // namespace

FixedFacts check_pwl_partition(const Net& net, const json& proof, Tally& tally) {
    for (std::size_t l = 0; l < net.layers.size(); ++l)
        if (!piecewise_linear(net.layers[l].act))
            throw Reject("network.layers[" + std::to_string(l) + "].activation", "is not piecewise linear: rule pwl_partition does not apply");
    const json& pj = array(field(proof, "partition", "proof"), "proof.partition");
    if (pj.size() > kMaxListed) throw Reject("proof.partition", "longer than the checker's limit");
    std::vector<Rational> part;
    for (std::size_t k = 0; k < pj.size(); ++k) {
        part.push_back(rational(pj[k], at("proof.partition", k)));
        if (k && !(part[k - 1] < part[k])) throw Reject(at("proof.partition", k), "not increasing");
    }
    long long weights = 0;
    for (const FixedLayer& l : net.layers) weights += static_cast<long long>(l.w.size() * l.w[0].size());
    charge(static_cast<long long>(part.size() + 1) * weights * 2, "proof.partition");

    // Forward pass at x: every pre-activation, and f(x).
    auto forward = [&](const Rational& x, std::vector<std::vector<Rational>>& pre) {
        std::vector<Rational> h{x};
        pre.clear();
        for (const FixedLayer& l : net.layers) {
            std::vector<Rational> z(l.w.size());
            for (std::size_t i = 0; i < z.size(); ++i) {
                z[i] = l.b[i];
                for (std::size_t j = 0; j < h.size(); ++j) z[i] += l.w[i][j] * h[j];
            }
            pre.push_back(z);
            for (std::size_t i = 0; i < z.size(); ++i) z[i] = activate(l, z[i]);
            h = std::move(z);
        }
        return h[0];
    };
    std::vector<Piece> zeros;
    for (std::size_t c = 0; c <= part.size(); ++c) {
        const std::string cp = at("proof.cells", c);  // cell c lies between partition[c - 1] and partition[c]
        const End lo = c ? End(part[c - 1]) : End(), hi = c < part.size() ? End(part[c]) : End();
        const Rational p = lo ? *lo : hi ? Rational(*hi - 1) : Rational(0);
        const Rational q = hi ? *hi : Rational(p + 1);
        std::vector<std::vector<Rational>> zp, zq;
        const Rational fp = forward(p, zp), fq = forward(q, zq);
        // Each pre-activation is affine on the cell (induction over the layers); it must not
        // cross a kink of its activation strictly inside the cell.
        for (std::size_t l = 0; l < net.layers.size(); ++l)
            for (std::size_t i = 0; i < zp[l].size(); ++i)
                for (const Rational& k : kinks(net.layers[l])) {
                    const Rational dp = zp[l][i] - k, dq = zq[l][i] - k, s = dq - dp;  // slope times (q - p) > 0
                    const bool crosses = lo && hi ? dp * dq < 0
                                         : hi  ? dq != 0 && s != 0 && (dq > 0) == (s > 0)
                                         : lo  ? dp != 0 && s != 0 && (dp > 0) != (s > 0)
                                               : s != 0;
                    if (crosses)
                        throw Reject(cp, "unit " + std::to_string(i) + " of layer " + std::to_string(l + 1) +
                                             " changes piece inside the cell " + piece_text({lo, hi}));
                }
        // g(x) = f(x) - x = a x + e on the cell.
        const Rational gp = fp - p, gq = fq - q;
        const Rational a = (gq - gp) / (q - p), e = gp - a * p;
        ++tally.checked;
        std::optional<Piece> z;
        if (a == 0) {
            if (e == 0) z = Piece{lo, hi};
        } else {
            const Rational r = -e / a;
            if ((!lo || *lo <= r) && (!hi || r <= *hi)) z = Piece{r, r};
        }
        if (!z) continue;
        if (!zeros.empty() && zeros.back().hi && z->lo && *z->lo <= *zeros.back().hi) {
            if (!z->hi || *z->hi > *zeros.back().hi) zeros.back().hi = z->hi;
        } else {
            zeros.push_back(*z);
        }
    }
    FixedFacts facts;
    for (std::size_t k = 0; k < zeros.size(); ++k) {
        const Piece& z = zeros[k];
        const bool point = z.lo && z.hi && *z.lo == *z.hi;
        if (point) facts.components.push_back({{"point", z.lo->str()}});
        else facts.components.push_back({{"interval", {z.lo ? json(z.lo->str()) : json(nullptr), z.hi ? json(z.hi->str()) : json(nullptr)}}});
        (point ? facts.points : facts.intervals) += 1;
        if (k < 16) facts.listed += (k ? ", " : "") + (point ? z.lo->str() : piece_text(z));
    }
    return facts;
}

KindResult check_fixed(const json& cert, const json* input, const std::string& input_name, Tally& tally) {
    const Net net = parse_net(field(cert, "network", ""), "network", false);
    if (input) {
        Net given;
        try {
            given = parse_net(*input, "", true);
        } catch (const Reject& r) {
            throw ArchFileError((r.path.empty() ? "" : r.path + ": ") + r.what());
        }
        if (given.layers != net.layers) throw Reject("network", "is not the network of " + input_name);
    }
    const json& proof = field(cert, "proof", "");
    const std::string rule = str(field(proof, "rule", "proof"), "proof.rule");
    FixedFacts facts;
    if (rule == "pwl_partition") facts = check_pwl_partition(net, proof, tally);
    else if (rule == "interval_newton") facts = check_interval_newton(net, proof, tally);
    else throw Reject("proof.rule", "expected \"pwl_partition\" or \"interval_newton\"");
    const json& claim = array(field(field(cert, "claim", ""), "fixed_points", "claim"), "claim.fixed_points");
    if (claim.size() != facts.components.size())
        throw Reject("claim.fixed_points", "lists " + std::to_string(claim.size()) + " components, the network has " +
                                               std::to_string(facts.components.size()));
    for (std::size_t k = 0; k < claim.size(); ++k)
        if (claim[k] != facts.components[k]) throw Reject(at("claim.fixed_points", k), "the component is " + describe(facts.components[k]));
    KindResult res;
    const std::size_t n = facts.components.size();
    res.summary = (net.name.empty() ? "network" : net.name) + ": " + plural(facts.points, "fixed point") + ", " +
                  plural(facts.intervals, "interval") + " of fixed points" + (n == 0 ? "" : ": " + facts.listed) + (n > 16 ? ", ..." : "");
    res.facts = {{"fixed_points", claim}, {"rule", rule}};
    return res;
}

}  // namespace verify
