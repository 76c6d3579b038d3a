// Kind "fixed" (docs/fixed.md): the fixed points of a 1-D network with piecewise linear
// activations. The certificate names a partition of the line; the checker shows by exact forward
// passes that every unit is affine on each cell, then solves f(x) = x on each cell itself.
#include "verify.hpp"

#include <cmath>
#include <optional>

namespace verify {

namespace {

enum class Act { identity, relu, leaky_relu, hardtanh };

struct Layer {
    std::vector<std::vector<Rational>> w;
    std::vector<Rational> b;
    Act act = Act::identity;
    Rational slope;
    bool operator==(const Layer&) const = default;
};

struct Net {
    std::string name;
    std::vector<Layer> layers;
};

// A number of a network file: "p", "p/q", a decimal string, a JSON integer or a JSON float (its
// exact binary value). In certificates only the strings "p" and "p/q".
Rational file_number(const json& v, const std::string& path) {
    if (v.is_number_integer()) return v.is_number_unsigned() ? Rational(Integer(v.get<std::uint64_t>())) : Rational(v.get<std::int64_t>());
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d)) throw Reject(path, "not a finite number");
        int e = 0;
        const double m = std::frexp(d, &e);
        Rational r(Integer(static_cast<long long>(std::ldexp(m, 53))));
        const int shift = e - 53;
        const Integer p = Integer(1) << std::abs(shift);
        return shift >= 0 ? Rational(r * p) : Rational(r / p);
    }
    const std::string s = str(v, path);
    const auto point = s.find('.');
    if (point == std::string::npos) return rational(v, path);
    std::string digits = s.substr(0, point) + s.substr(point + 1);
    const bool neg = !digits.empty() && digits[0] == '-';
    if (neg) digits.erase(0, 1);
    const std::size_t frac = s.size() - point - 1;
    if (frac == 0 || point == (neg ? 1u : 0u) || s.size() > kMaxRationalChars) throw Reject(path, "not a decimal \"" + s + "\"");
    const auto first = digits.find_first_not_of('0');
    const Rational r = rational(json(first == std::string::npos ? "0" : digits.substr(first)), path) /
                       Rational(pow(Integer(10), static_cast<unsigned>(frac)));
    return neg ? Rational(-r) : r;
}

Net parse_net(const json& v, const std::string& path, bool file_form) {
    if (!v.is_object() || !has(v, "format") || v["format"] != "closecert-network") throw Reject(path, "not a closecert-network");
    if (!has(v, "version") || v["version"] != 1) throw Reject(at(path, "version"), "expected 1");
    Net n;
    if (has(v, "name")) n.name = str(v["name"], at(path, "name"));
    const json& layers = array(field(v, "layers", path), at(path, "layers"));
    if (layers.empty() || layers.size() > kMaxLayers) throw Reject(at(path, "layers"), "expected 1 to 64 layers");
    std::size_t width = 1;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::string lp = at(at(path, "layers"), l);
        const json& L = layers[l];
        Layer out;
        const std::string a = str(field(L, "activation", lp), at(lp, "activation"));
        if (a == "identity") out.act = Act::identity;
        else if (a == "relu") out.act = Act::relu;
        else if (a == "leaky_relu") out.act = Act::leaky_relu;
        else if (a == "hardtanh") out.act = Act::hardtanh;
        else throw Reject(at(lp, "activation"), "'" + a + "' is not piecewise linear: rule pwl_partition does not apply");
        auto num = [&](const json& x, const std::string& p) { return file_form ? file_number(x, p) : rational(x, p); };
        // The default slope 1/100 (torch's) is for network files; a certificate states it.
        if (out.act == Act::leaky_relu && !file_form) out.slope = num(field(L, "slope", lp), at(lp, "slope"));
        else if (out.act == Act::leaky_relu) out.slope = has(L, "slope") ? num(L["slope"], at(lp, "slope")) : Rational(1, 100);
        else if (has(L, "slope")) throw Reject(at(lp, "slope"), "only leaky_relu has a slope");
        const json& w = array(field(L, "weights", lp), at(lp, "weights"));
        if (w.empty() || w.size() > kMaxWidth) throw Reject(at(lp, "weights"), "expected 1 to 4096 rows");
        for (std::size_t i = 0; i < w.size(); ++i) {
            const std::string rp = at(at(lp, "weights"), i);
            const json& row = array(w[i], rp);
            if (row.size() != width) throw Reject(rp, "has " + std::to_string(row.size()) + " entries, expected " + std::to_string(width));
            out.w.emplace_back();
            for (std::size_t j = 0; j < row.size(); ++j) out.w.back().push_back(num(row[j], at(rp, j)));
        }
        if (has(L, "bias")) {
            const json& b = array(L["bias"], at(lp, "bias"));
            if (b.size() != w.size()) throw Reject(at(lp, "bias"), "one bias per unit expected");
            for (std::size_t i = 0; i < b.size(); ++i) out.b.push_back(num(b[i], at(at(lp, "bias"), i)));
        } else if (!file_form) {
            throw Reject(at(lp, "bias"), "missing");
        } else {
            out.b.assign(w.size(), Rational(0));
        }
        width = w.size();
        n.layers.push_back(std::move(out));
    }
    if (width != 1) throw Reject(at(path, "layers"), "the last layer must have one unit");
    return n;
}

std::vector<Rational> kinks(const Layer& l) {
    if (l.act == Act::hardtanh) return {Rational(-1), Rational(1)};
    if (l.act == Act::identity) return {};
    return {Rational(0)};
}

Rational activate(const Layer& l, const Rational& z) {
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

}  // namespace

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
    if (str(field(proof, "rule", "proof"), "proof.rule") != "pwl_partition") throw Reject("proof.rule", "expected \"pwl_partition\"");
    const json& pj = array(field(proof, "partition", "proof"), "proof.partition");
    if (pj.size() > kMaxListed) throw Reject("proof.partition", "longer than the checker's limit");
    std::vector<Rational> part;
    for (std::size_t k = 0; k < pj.size(); ++k) {
        part.push_back(rational(pj[k], at("proof.partition", k)));
        if (k && !(part[k - 1] < part[k])) throw Reject(at("proof.partition", k), "not increasing");
    }
    long long weights = 0;
    for (const Layer& l : net.layers) weights += static_cast<long long>(l.w.size() * l.w[0].size());
    charge(static_cast<long long>(part.size() + 1) * weights * 2, "proof.partition");

    // Forward pass at x: every pre-activation, and f(x).
    auto forward = [&](const Rational& x, std::vector<std::vector<Rational>>& pre) {
        std::vector<Rational> h{x};
        pre.clear();
        for (const Layer& l : net.layers) {
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
    const json& claim = array(field(field(cert, "claim", ""), "fixed_points", "claim"), "claim.fixed_points");
    if (claim.size() != zeros.size())
        throw Reject("claim.fixed_points", "lists " + std::to_string(claim.size()) + " components, the network has " + std::to_string(zeros.size()));
    std::size_t points = 0;
    std::string listed;
    for (std::size_t k = 0; k < zeros.size(); ++k) {
        const std::string kp = at("claim.fixed_points", k);
        const Piece& z = zeros[k];
        const bool point = z.lo && z.hi && *z.lo == *z.hi;
        const json& ck = claim[k];
        Piece claimed;
        if (point && has(ck, "point")) {
            claimed.lo = claimed.hi = rational(ck["point"], at(kp, "point"));
        } else if (!point && has(ck, "interval")) {
            const json& iv = array(ck["interval"], at(kp, "interval"));
            if (iv.size() != 2) throw Reject(at(kp, "interval"), "expected [lo, hi]");
            if (!iv[0].is_null()) claimed.lo = rational(iv[0], at(kp, "interval[0]"));
            if (!iv[1].is_null()) claimed.hi = rational(iv[1], at(kp, "interval[1]"));
        } else {
            throw Reject(kp, std::string("the component is ") + (point ? "the point " + z.lo->str() : "an interval"));
        }
        if (claimed.lo != z.lo || claimed.hi != z.hi)
            throw Reject(kp, "the component is " + (point ? z.lo->str() : piece_text(z)));
        points += point;
        if (k < 16) listed += (k ? ", " : "") + (point ? z.lo->str() : piece_text(z));
    }
    KindResult res;
    res.summary = (net.name.empty() ? "network" : net.name) + ": " + plural(points, "fixed point") + ", " +
                  plural(zeros.size() - points, "interval") + " of fixed points" + (zeros.empty() ? "" : ": " + listed) +
                  (zeros.size() > 16 ? ", ..." : "");
    res.facts = {{"fixed_points", claim}, {"cells", part.size() + 1}};
    return res;
}

}  // namespace verify
