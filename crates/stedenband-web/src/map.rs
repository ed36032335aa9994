//! A world map drawn on the server as inline SVG, without any map service: the countries of
//! Natural Earth 1:110m (world-atlas 2.0.2, bundled under `assets/world/`), projected with the
//! Equal Earth projection, with towns as points and twinnings as great-circle lines.
//!
//! Like the charts, a map is one `<svg role="img">` element put into the page as is: no script,
//! no web font, and no `style` attribute or `<style>` element (the Content-Security-Policy has
//! `style-src 'self'`, which also blocks a `<style>` inside inline SVG), only SVG presentation
//! attributes. Every element carries a class (`sea`, `country`, `country highlight`, the
//! line's and the point's own class), so the site's stylesheet may still override the colours.
//!
//! Colours: land light grey with white borders on a light blue sea; highlighted countries light
//! yellow with a dark gold border (4:1 against land and sea); lines and points have at least
//! 5:1 against land, sea and highlight (WCAG 1.4.11, non-text contrast). The `<title>` and
//! `<desc>` name and describe the map; every line and point carries its label as `<title>`
//! (a tooltip). The countries are decoration (`aria-hidden`).
//!
//! Coordinates are in projected units: the whole world is [`WORLD_WIDTH`] units wide and
//! [`world_height`] high, with the origin at the top left. They are written with one decimal,
//! two when the view is fitted to a small region, as relative moves, and repeated points are
//! left out.

use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

/// A town or other place on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub lat: f64,
    pub lng: f64,
    /// Shown as the point's `<title>` (escaped).
    pub label: String,
    /// The `<circle>`'s class: `home` is drawn bigger (and on top); anything else as a plain
    /// point.
    pub class: &'static str,
}

/// A connection between two places, drawn along the great circle.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLine {
    /// (lat, lng) in degrees.
    pub from: (f64, f64),
    /// (lat, lng) in degrees.
    pub to: (f64, f64),
    /// The `<path>`'s class: `register` solid dark green, `world` dashed dark blue, anything
    /// else solid dark blue.
    pub class: &'static str,
    /// Shown as the line's `<title>` (escaped).
    pub label: String,
}

/// What to draw.
#[derive(Debug, Clone, Copy)]
pub struct MapSpec<'a> {
    /// The map's accessible name, as `<title>`.
    pub title: &'a str,
    /// A text alternative that says what the map shows, as `<desc>`.
    pub description: &'a str,
    pub points: &'a [MapPoint],
    pub lines: &'a [MapLine],
    /// ISO 3166-1 alpha-2 codes (any case) of countries filled differently. Kosovo is `XK`;
    /// Northern Cyprus and Somaliland have no code in the data and are never highlighted.
    pub highlight: &'a [&'a str],
    /// Crop the view to the points and lines (with a margin, at least [`MIN_FIT_WIDTH`] units
    /// wide, between 6:5 and 21:10 wide), or, when false or when there is nothing to fit,
    /// show the whole world.
    pub fit: bool,
    /// The `width` attribute in pixels; the `height` follows from the view. Points and line
    /// widths are sized for this width.
    pub width: u32,
}

/// The whole world's width in projected units.
pub const WORLD_WIDTH: f64 = 1000.0;
/// A fitted view is at least this wide (about 2,400 km at the equator, 1,800 km across the
/// Netherlands), so that a single town shows its surroundings.
pub const MIN_FIT_WIDTH: f64 = 60.0;

// Colours (see the module documentation for their contrast).
const SEA: &str = "#d3e6f5";
const LAND: &str = "#e6e6e3";
const BORDER: &str = "#ffffff";
const HIGHLIGHT: &str = "#fdf0a6";
const HIGHLIGHT_BORDER: &str = "#8a6a00";
const REGISTER_LINE: &str = "#1e6b34";
const WORLD_LINE: &str = "#1f4fa0";
const LINE: &str = "#1c3f8a";
const POINT: &str = "#b01c1c";
const POINT_RING: &str = "#ffffff";

// Sizes in pixels at the rendered width.
const BORDER_PX: f64 = 0.5;
const HIGHLIGHT_BORDER_PX: f64 = 0.75;
const LINE_PX: f64 = 1.0;
const POINT_PX: f64 = 3.0;
const HOME_POINT_PX: f64 = 4.5;
const POINT_RING_PX: f64 = 0.75;

/// Great circles get one segment per this many degrees of arc.
const SEGMENT_DEGREES: f64 = 2.0;

// ---------------------------------------------------------------------------------------------
// Projection

// Equal Earth (Šavrič, Patterson & Jenny 2018, doi:10.1080/13658816.2018.1504949).
const A1: f64 = 1.340_264;
const A2: f64 = -0.081_106;
const A3: f64 = 0.000_893;
const A4: f64 = 0.003_796;

/// Equal Earth on the unit sphere: (x, y) with y to the north, both in radians.
fn equal_earth(lat: f64, lng: f64) -> (f64, f64) {
    let m = 3f64.sqrt() / 2.0;
    let lambda = lng.to_radians();
    let theta = (m * lat.to_radians().sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lambda * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Projected units per unit of the unit sphere's Equal Earth.
fn scale() -> f64 {
    WORLD_WIDTH / (2.0 * equal_earth(0.0, 180.0).0)
}

/// The whole world's height in projected units (about 486.7).
pub fn world_height() -> f64 {
    2.0 * equal_earth(90.0, 0.0).1 * scale()
}

/// Latitude clamped to -90..=90, longitude wrapped into -180..=180.
fn normalise((lat, lng): (f64, f64)) -> (f64, f64) {
    let lat = lat.clamp(-90.0, 90.0);
    let lng = if (-180.0..=180.0).contains(&lng) {
        lng
    } else {
        (lng + 180.0).rem_euclid(360.0) - 180.0
    };
    (lat, lng)
}

/// A place in the map's coordinates: x to the east from the left edge, y to the south from the
/// top. Latitudes beyond ±90 are clamped, longitudes wrapped into -180..=180.
fn project(lat: f64, lng: f64) -> (f64, f64) {
    let (lat, lng) = normalise((lat, lng));
    let (x, y) = equal_earth(lat, lng);
    let s = scale();
    (WORLD_WIDTH / 2.0 + x * s, world_height() / 2.0 - y * s)
}

// ---------------------------------------------------------------------------------------------
// The countries

struct Ring {
    /// Projected, closed implicitly (the last point is not the first).
    points: Vec<(f64, f64)>,
    /// min x, min y, max x, max y.
    bbox: [f64; 4],
}

struct Country {
    /// ISO 3166-1 alpha-2, when the data has an id that ISO knows (or a name we map).
    alpha2: Option<&'static str>,
    rings: Vec<Ring>,
}

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    arcs: Vec<Vec<[i64; 2]>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: GeometryCollection,
}

#[derive(Deserialize)]
struct GeometryCollection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    arcs: Shape,
    id: Option<String>,
    #[serde(default)]
    properties: Properties,
}

/// A Polygon's or a MultiPolygon's arcs (told apart by their depth; the data has no other
/// geometry types).
#[derive(Deserialize)]
#[serde(untagged)]
enum Shape {
    Polygon(Vec<Vec<i64>>),
    MultiPolygon(Vec<Vec<Vec<i64>>>),
}

#[derive(Deserialize, Default)]
struct Properties {
    name: Option<String>,
}

/// Features without an ISO numeric id in world-atlas that still get a code, by name. Kosovo
/// has the user-assigned `XK` (used by the EU and most registers); Northern Cyprus and
/// Somaliland are left without one.
const CODES_BY_NAME: &[(&str, &str)] = &[("Kosovo", "XK")];

static ISO_NUMERIC: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../assets/world/iso-numeric.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(n, a)| (n.trim(), a.trim()))
        .collect()
});

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    let topology: Topology =
        serde_json::from_str(include_str!("../assets/world/countries-110m.json"))
            .expect("the bundled world-atlas TopoJSON decodes");
    // Arcs: delta-encoded quantized positions, made absolute, then longitude and latitude.
    let [sx, sy] = topology.transform.scale;
    let [tx, ty] = topology.transform.translate;
    let arcs: Vec<Vec<(f64, f64)>> = topology
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0i64, 0i64);
            arc.iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    // (lat, lng)
                    (y as f64 * sy + ty, x as f64 * sx + tx)
                })
                .collect()
        })
        .collect();
    // A ring as (lat, lng), cut at the antimeridian into the rings that are drawn.
    let rings = |indices: &[i64]| -> Vec<Ring> {
        let mut lat_lng: Vec<(f64, f64)> = Vec::new();
        for &i in indices {
            let (arc, reversed) = if i >= 0 {
                (&arcs[i as usize], false)
            } else {
                (&arcs[!i as usize], true)
            };
            // Each arc starts where the previous one ended.
            lat_lng.pop();
            if reversed {
                lat_lng.extend(arc.iter().rev());
            } else {
                lat_lng.extend(arc.iter());
            }
        }
        if lat_lng.len() > 1 && lat_lng.first() == lat_lng.last() {
            lat_lng.pop();
        }
        if lat_lng.len() < 3 {
            return Vec::new();
        }
        cut_ring_at_antimeridian(&lat_lng)
            .into_iter()
            .map(|piece| {
                let points: Vec<(f64, f64)> =
                    piece.iter().map(|&(lat, lng)| project(lat, lng)).collect();
                let bbox = points.iter().fold(
                    [
                        f64::INFINITY,
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        f64::NEG_INFINITY,
                    ],
                    |b, &(x, y)| [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)],
                );
                Ring { points, bbox }
            })
            .collect()
    };
    topology
        .objects
        .countries
        .geometries
        .iter()
        .map(|g| {
            let alpha2 = match &g.id {
                Some(id) => ISO_NUMERIC.get(id.as_str()).copied(),
                None => g.properties.name.as_deref().and_then(|name| {
                    CODES_BY_NAME
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|&(_, code)| code)
                }),
            };
            let rings = match &g.arcs {
                Shape::Polygon(polygon) => polygon.iter().flat_map(|r| rings(r)).collect(),
                Shape::MultiPolygon(polygons) => {
                    polygons.iter().flatten().flat_map(|r| rings(r)).collect()
                }
            };
            Country { alpha2, rings }
        })
        .collect()
});

/// Where the edge from `a` to `b` (lat, lng), which crosses the antimeridian, meets it: the
/// latitude, and the side (180 or -180) that `a` is on.
fn antimeridian_crossing(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let edge = if a.1 >= 0.0 { 180.0 } else { -180.0 };
    let unwrapped = if a.1 >= 0.0 { b.1 + 360.0 } else { b.1 - 360.0 };
    let t = if unwrapped == a.1 {
        0.0
    } else {
        (edge - a.1) / (unwrapped - a.1)
    };
    (a.0 + t * (b.0 - a.0), edge)
}

/// Points along the meridian `lng` strictly between the latitudes `from` and `to`, one per
/// degree (the antimeridian is curved in Equal Earth).
fn along_meridian(lng: f64, from: f64, to: f64) -> impl Iterator<Item = (f64, f64)> {
    let steps = (to - from).abs().ceil() as usize;
    (1..steps).map(move |i| (from + (to - from) * i as f64 / steps as f64, lng))
}

/// A ring of (lat, lng), implicitly closed, as rings that do not cross the antimeridian.
///
/// world-atlas keeps the rings of Fiji, the east of Russia and Antarctica whole on the sphere:
/// an edge from 179.4° to -180° crosses the antimeridian rather than the map. Such a ring is
/// cut where it crosses into pieces, and every piece is closed along the antimeridian, or,
/// for a ring around a pole (Antarctica, which crosses once), along the pole. Drawn with the
/// even-odd rule, the pieces cover the same land.
fn cut_ring_at_antimeridian(ring: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let n = ring.len();
    let crosses = |i: usize| (ring[(i + 1) % n].1 - ring[i].1).abs() > 180.0;
    let Some(first) = (0..n).find(|&i| crosses(i)) else {
        return vec![ring.to_vec()];
    };
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let (first_lat, first_edge) = antimeridian_crossing(ring[first], ring[(first + 1) % n]);
    let mut current = vec![(first_lat, -first_edge)];
    for step in 1..n {
        let i = (first + step) % n;
        current.push(ring[i]);
        if crosses(i) {
            let (lat, edge) = antimeridian_crossing(ring[i], ring[(i + 1) % n]);
            current.push((lat, edge));
            pieces.push(std::mem::replace(&mut current, vec![(lat, -edge)]));
        }
    }
    current.push(ring[first]);
    current.push((first_lat, first_edge));
    pieces.push(current);
    for piece in &mut pieces {
        let (start_lat, start_lng) = piece[0];
        let (end_lat, end_lng) = piece[piece.len() - 1];
        if start_lng == end_lng {
            piece.extend(along_meridian(end_lng, end_lat, start_lat));
        } else {
            let mean = piece.iter().map(|p| p.0).sum::<f64>() / piece.len() as f64;
            let pole = if mean < 0.0 { -90.0 } else { 90.0 };
            piece.extend(along_meridian(end_lng, end_lat, pole));
            piece.push((pole, end_lng));
            piece.push((pole, start_lng));
            piece.extend(along_meridian(start_lng, pole, start_lat));
        }
    }
    pieces
}

// ---------------------------------------------------------------------------------------------
// Great circles

fn to_vector(lat: f64, lng: f64) -> [f64; 3] {
    let (phi, lambda) = (lat.to_radians(), lng.to_radians());
    [
        phi.cos() * lambda.cos(),
        phi.cos() * lambda.sin(),
        phi.sin(),
    ]
}

fn to_lat_lng(v: [f64; 3]) -> (f64, f64) {
    let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let z = (v[2] / norm).clamp(-1.0, 1.0);
    (z.asin().to_degrees(), v[1].atan2(v[0]).to_degrees())
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn length(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

/// Points (lat, lng) along the shorter great circle from `a` to `b`, both ends included, one
/// segment per [`SEGMENT_DEGREES`] or less (spherical linear interpolation). Between antipodes
/// every great circle is as short; this one goes through the point a quarter turn from `a`
/// towards the north pole (or along the equator, from a pole).
fn great_circle(from: (f64, f64), to: (f64, f64)) -> Vec<(f64, f64)> {
    let a = to_vector(from.0, from.1);
    let b = to_vector(to.0, to.1);
    let omega = length(cross(a, b)).atan2(dot(a, b));
    if omega.sin() < 1e-9 && omega > 1.0 {
        // Antipodes: go through a point perpendicular to `a`.
        let mut m = cross(cross(a, [0.0, 0.0, 1.0]), a);
        if length(m) < 1e-9 {
            m = [1.0, 0.0, 0.0];
        }
        let middle = to_lat_lng(m);
        let mut first = great_circle(from, middle);
        first.pop();
        first.extend(great_circle(middle, to));
        return first;
    }
    let n = ((omega.to_degrees() / SEGMENT_DEGREES).ceil() as usize).max(1);
    (0..=n)
        .map(|i| {
            if i == 0 {
                return from;
            }
            if i == n {
                return to;
            }
            let t = i as f64 / n as f64;
            let (wa, wb) = (((1.0 - t) * omega).sin(), (t * omega).sin());
            to_lat_lng([
                wa * a[0] + wb * b[0],
                wa * a[1] + wb * b[1],
                wa * a[2] + wb * b[2],
            ])
        })
        .collect()
}

/// A line of (lat, lng) points cut where it crosses the antimeridian, each piece ending on the
/// map's edge, so that no piece jumps across the map.
fn split_at_antimeridian(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = vec![Vec::new()];
    for (i, &(lat, lng)) in points.iter().enumerate() {
        if i > 0 {
            let (lat0, lng0) = points[i - 1];
            if (lng - lng0).abs() > 180.0 {
                let edge = if lng0 >= 0.0 { 180.0 } else { -180.0 };
                let unwrapped = if lng0 >= 0.0 {
                    lng + 360.0
                } else {
                    lng - 360.0
                };
                let t = if unwrapped == lng0 {
                    0.0
                } else {
                    (edge - lng0) / (unwrapped - lng0)
                };
                let lat_edge = lat0 + t * (lat - lat0);
                let piece = pieces.last_mut().expect("there is always a piece");
                piece.push((lat_edge, edge));
                pieces.push(vec![(lat_edge, -edge)]);
            }
        }
        pieces
            .last_mut()
            .expect("there is always a piece")
            .push((lat, lng));
    }
    pieces
}

// ---------------------------------------------------------------------------------------------
// The view

/// A line as the pieces of projected positions it is drawn as.
type ProjectedLine<'a> = (&'a MapLine, Vec<Vec<(f64, f64)>>);

#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl View {
    fn world() -> Self {
        View {
            x: 0.0,
            y: 0.0,
            w: WORLD_WIDTH,
            h: world_height(),
        }
    }

    fn intersects(&self, bbox: [f64; 4]) -> bool {
        bbox[0] <= self.x + self.w
            && bbox[2] >= self.x
            && bbox[1] <= self.y + self.h
            && bbox[3] >= self.y
    }
}

/// The smallest comfortable view around these projected positions: a margin of a tenth of the
/// span (at least 8 units) on every side, at least [`MIN_FIT_WIDTH`] wide, an aspect ratio
/// between 6:5 and 21:10, kept inside the world where it fits. `None` when there is nothing.
fn fit_view(positions: &[(f64, f64)]) -> Option<View> {
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for &(x, y) in positions {
        bbox = [
            bbox[0].min(x),
            bbox[1].min(y),
            bbox[2].max(x),
            bbox[3].max(y),
        ];
    }
    if !bbox.iter().all(|v| v.is_finite()) {
        return None;
    }
    let world = View::world();
    let (cx, cy) = ((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
    let (span_w, span_h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let mut w = (span_w + 2.0 * (span_w / 10.0).max(8.0)).max(MIN_FIT_WIDTH);
    let mut h = span_h + 2.0 * (span_h / 10.0).max(8.0);
    if w < 1.2 * h {
        w = 1.2 * h;
    }
    if w > 2.1 * h {
        h = w / 2.1;
    }
    if w >= world.w || h >= world.h {
        return Some(world);
    }
    let x = (cx - w / 2.0).clamp(0.0, world.w - w);
    let y = (cy - h / 2.0).clamp(0.0, world.h - h);
    Some(View { x, y, w, h })
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Coordinates rounded to a grid of `1 / per_unit` units, written as the shortest decimal.
#[derive(Clone, Copy)]
struct Grid {
    per_unit: f64,
    decimals: usize,
}

impl Grid {
    fn snap(&self, (x, y): (f64, f64)) -> (i64, i64) {
        (
            (x * self.per_unit).round() as i64,
            (y * self.per_unit).round() as i64,
        )
    }

    fn number(&self, v: i64) -> String {
        let s = format!("{:.*}", self.decimals, v as f64 / self.per_unit);
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        if s == "-0" {
            "0".to_owned()
        } else {
            s.to_owned()
        }
    }
}

/// Path data builder: absolute move-to, then relative line-to's, with the separators SVG
/// allows to leave out left out.
struct PathData<'g> {
    grid: &'g Grid,
    d: String,
}

impl<'g> PathData<'g> {
    fn new(grid: &'g Grid) -> Self {
        PathData {
            grid,
            d: String::new(),
        }
    }

    fn numbers(&mut self, values: [i64; 2], after_command: bool) {
        for (i, v) in values.into_iter().enumerate() {
            let n = self.grid.number(v);
            let first_after_command = after_command && i == 0;
            if !first_after_command && !n.starts_with('-') {
                self.d.push(' ');
            }
            self.d.push_str(&n);
        }
    }

    /// One subpath through the snapped points, repeated points left out; closed with `z` when
    /// `close`. Returns whether anything was written: a ring needs three distinct points, an
    /// open line one (a single point becomes a dot through the round caps).
    fn subpath(&mut self, points: impl IntoIterator<Item = (i64, i64)>, close: bool) -> bool {
        let mut snapped: Vec<(i64, i64)> = Vec::new();
        for p in points {
            if snapped.last() != Some(&p) {
                snapped.push(p);
            }
        }
        if close {
            while snapped.len() > 1 && snapped.first() == snapped.last() {
                snapped.pop();
            }
            if snapped.len() < 3 {
                return false;
            }
        }
        let Some(&first) = snapped.first() else {
            return false;
        };
        self.d.push('M');
        self.numbers([first.0, first.1], true);
        self.d.push('l');
        if snapped.len() == 1 {
            self.d.push_str("0 0");
        }
        for (i, pair) in snapped.windows(2).enumerate() {
            self.numbers([pair[1].0 - pair[0].0, pair[1].1 - pair[0].1], i == 0);
        }
        if close {
            self.d.push('z');
        }
        true
    }
}

/// A length in user units with at most three decimals.
fn length_attr(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// Text and attribute values escaped for XML; characters XML does not allow at all are left
/// out.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A prefix for the ids of the title and description, the same for the same map and
/// (practically) unique between different maps on one page.
fn id_prefix(spec: &MapSpec) -> String {
    // FNV-1a over everything that is drawn.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    feed(spec.title.as_bytes());
    feed(spec.description.as_bytes());
    for p in spec.points {
        feed(&p.lat.to_bits().to_le_bytes());
        feed(&p.lng.to_bits().to_le_bytes());
        feed(p.label.as_bytes());
        feed(p.class.as_bytes());
    }
    for l in spec.lines {
        for v in [l.from.0, l.from.1, l.to.0, l.to.1] {
            feed(&v.to_bits().to_le_bytes());
        }
        feed(l.label.as_bytes());
        feed(l.class.as_bytes());
    }
    for h in spec.highlight {
        feed(h.as_bytes());
    }
    feed(&[u8::from(spec.fit)]);
    feed(&spec.width.to_le_bytes());
    format!("map-{:012x}", hash >> 16)
}

fn finite(lat: f64, lng: f64) -> bool {
    lat.is_finite() && lng.is_finite()
}

/// The map as one `<svg>` element. Points and lines with a coordinate that is not a finite
/// number are left out.
pub fn world_map_svg(spec: &MapSpec) -> String {
    // Lines as pieces of projected positions, computed once for the view and the drawing.
    let lines: Vec<ProjectedLine> = spec
        .lines
        .iter()
        .filter(|l| finite(l.from.0, l.from.1) && finite(l.to.0, l.to.1))
        .map(|l| {
            let arc = great_circle(normalise(l.from), normalise(l.to));
            let pieces = split_at_antimeridian(&arc)
                .into_iter()
                .map(|piece| {
                    piece
                        .into_iter()
                        .map(|(lat, lng)| project(lat, lng))
                        .collect()
                })
                .collect();
            (l, pieces)
        })
        .collect();
    let points: Vec<(&MapPoint, (f64, f64))> = spec
        .points
        .iter()
        .filter(|p| finite(p.lat, p.lng))
        .map(|p| (p, project(p.lat, p.lng)))
        .collect();

    let world = View::world();
    let view = if spec.fit {
        let positions: Vec<(f64, f64)> = points
            .iter()
            .map(|(_, xy)| *xy)
            .chain(
                lines
                    .iter()
                    .flat_map(|(_, pieces)| pieces.iter().flatten().copied()),
            )
            .collect();
        fit_view(&positions).unwrap_or(world)
    } else {
        world
    };
    let grid = if view.w < WORLD_WIDTH / 4.0 {
        Grid {
            per_unit: 100.0,
            decimals: 2,
        }
    } else {
        Grid {
            per_unit: 10.0,
            decimals: 1,
        }
    };
    let width = spec.width.max(1);
    // User units per rendered pixel.
    let px = view.w / f64::from(width);
    let height = (f64::from(width) * view.h / view.w).round().max(1.0);

    let prefix = id_prefix(spec);
    let mut out = String::with_capacity(if spec.fit { 40_000 } else { 120_000 });
    let mut view_box = PathData::new(&grid);
    let (vx, vy) = grid.snap((view.x, view.y));
    let (vw, vh) = grid.snap((view.w, view.h));
    view_box.numbers([vx, vy], true);
    view_box.numbers([vw, vh], false);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" aria-labelledby="{prefix}-title {prefix}-desc" viewBox="{}" width="{width}" height="{height}">"#,
        view_box.d.trim_start()
    );
    let _ = write!(
        out,
        r#"<title id="{prefix}-title">{}</title><desc id="{prefix}-desc">{}</desc>"#,
        esc(spec.title),
        esc(spec.description)
    );

    // The sea: the outline of the projected globe (its edges are the antimeridian, its top and
    // bottom the poles).
    out.push_str(r#"<g aria-hidden="true">"#);
    // A fitted view can reach past the globe's edge: the sea fills the whole view there too.
    if spec.fit {
        let _ = write!(
            out,
            r#"<rect class="sea" fill="{SEA}" x="{}" y="{}" width="{}" height="{}"/>"#,
            grid.number(vx),
            grid.number(vy),
            grid.number(vw),
            grid.number(vh)
        );
    }
    let mut sea = PathData::new(&grid);
    let outline = (0..=90)
        .map(|i| (90.0 - 2.0 * f64::from(i), 180.0))
        .chain((0..=90).map(|i| (-90.0 + 2.0 * f64::from(i), -180.0)))
        .map(|(lat, lng)| grid.snap(project(lat, lng)));
    sea.subpath(outline, true);
    let _ = write!(out, r#"<path class="sea" fill="{SEA}" d="{}"/>"#, sea.d);

    // The countries, highlighted ones last so that their border is on top.
    let wanted: Vec<String> = spec
        .highlight
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    let highlighted = |c: &Country| c.alpha2.is_some_and(|a| wanted.iter().any(|w| w == a));
    let _ = write!(
        out,
        r#"<g class="countries" fill="{LAND}" fill-rule="evenodd" stroke="{BORDER}" stroke-width="{}" stroke-linejoin="round">"#,
        length_attr(BORDER_PX * px)
    );
    let margin = 2.0 * px;
    let culling = View {
        x: view.x - margin,
        y: view.y - margin,
        w: view.w + 2.0 * margin,
        h: view.h + 2.0 * margin,
    };
    for highlight in [false, true] {
        for country in COUNTRIES.iter().filter(|c| highlighted(c) == highlight) {
            let mut path = PathData::new(&grid);
            for ring in country.rings.iter().filter(|r| culling.intersects(r.bbox)) {
                path.subpath(ring.points.iter().map(|&p| grid.snap(p)), true);
            }
            if path.d.is_empty() {
                continue;
            }
            if highlight {
                let _ = write!(
                    out,
                    r#"<path class="country highlight" fill="{HIGHLIGHT}" stroke="{HIGHLIGHT_BORDER}" stroke-width="{}" d="{}"/>"#,
                    length_attr(HIGHLIGHT_BORDER_PX * px),
                    path.d
                );
            } else {
                let _ = write!(out, r#"<path class="country" d="{}"/>"#, path.d);
            }
        }
    }
    out.push_str("</g></g>");

    if !lines.is_empty() {
        let _ = write!(
            out,
            r#"<g class="lines" fill="none" stroke="{LINE}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round">"#,
            length_attr(LINE_PX * px)
        );
        for (line, pieces) in &lines {
            let mut path = PathData::new(&grid);
            for piece in pieces {
                path.subpath(piece.iter().map(|&p| grid.snap(p)), false);
            }
            let look = match line.class {
                "register" => format!(r#" stroke="{REGISTER_LINE}""#),
                "world" => format!(
                    r#" stroke="{WORLD_LINE}" stroke-dasharray="{} {}""#,
                    length_attr(4.0 * px),
                    length_attr(3.0 * px)
                ),
                _ => String::new(),
            };
            let _ = write!(
                out,
                r#"<path class="{}"{look} d="{}"><title>{}</title></path>"#,
                esc(line.class),
                path.d,
                esc(&line.label)
            );
        }
        out.push_str("</g>");
    }

    if !points.is_empty() {
        let _ = write!(
            out,
            r#"<g class="points" fill="{POINT}" stroke="{POINT_RING}" stroke-width="{}">"#,
            length_attr(POINT_RING_PX * px)
        );
        // Home points last, on top of the others.
        for home in [false, true] {
            for (point, xy) in points.iter().filter(|(p, _)| (p.class == "home") == home) {
                let (cx, cy) = grid.snap(*xy);
                let r = if home { HOME_POINT_PX } else { POINT_PX } * px;
                let _ = write!(
                    out,
                    r#"<circle class="{}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>"#,
                    esc(point.class),
                    grid.number(cx),
                    grid.number(cy),
                    length_attr(r),
                    esc(&point.label)
                );
            }
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use roxmltree::{Document, Node};

    const LEIDSCHENDAM: (f64, f64) = (52.0833, 4.4);
    const HRANICE: (f64, f64) = (49.5482, 17.7347);
    const TOKYO: (f64, f64) = (35.6762, 139.6503);
    const SAN_FRANCISCO: (f64, f64) = (37.7749, -122.4194);

    fn point(at: (f64, f64), label: &str, class: &'static str) -> MapPoint {
        MapPoint {
            lat: at.0,
            lng: at.1,
            label: label.into(),
            class,
        }
    }

    fn line(from: (f64, f64), to: (f64, f64), label: &str, class: &'static str) -> MapLine {
        MapLine {
            from,
            to,
            class,
            label: label.into(),
        }
    }

    fn spec<'a>(points: &'a [MapPoint], lines: &'a [MapLine], fit: bool) -> MapSpec<'a> {
        MapSpec {
            title: "Stedenbanden van Leidschendam-Voorburg",
            description: "Een kaart met de partnersteden & hun verbindingen.",
            points,
            lines,
            highlight: &[],
            fit,
            width: 800,
        }
    }

    /// Subpaths of absolute positions from path data of the form this module writes (and a bit
    /// more: M, m, L, l, Z, z).
    fn subpaths(d: &str) -> Vec<Vec<(f64, f64)>> {
        let mut tokens: Vec<String> = Vec::new();
        let mut number = String::new();
        for c in d.chars() {
            let starts_new = c.is_ascii_alphabetic() || c == ' ' || c == ',' || c == '-';
            if starts_new && !number.is_empty() {
                tokens.push(std::mem::take(&mut number));
            }
            if c.is_ascii_alphabetic() {
                tokens.push(c.to_string());
            } else if c != ' ' && c != ',' {
                number.push(c);
            }
        }
        if !number.is_empty() {
            tokens.push(number);
        }
        let mut result: Vec<Vec<(f64, f64)>> = Vec::new();
        let (mut cx, mut cy) = (0.0, 0.0);
        let mut command = 'M';
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if let Some(c) = t.chars().next().filter(|c| c.is_ascii_alphabetic()) {
                command = c;
                i += 1;
                if c == 'z' || c == 'Z' {
                    continue;
                }
                if c == 'M' || c == 'm' {
                    result.push(Vec::new());
                }
                continue;
            }
            let x: f64 = tokens[i].parse().expect("a number");
            let y: f64 = tokens[i + 1].parse().expect("a number");
            i += 2;
            match command {
                'M' | 'L' => (cx, cy) = (x, y),
                'm' | 'l' => (cx, cy) = (cx + x, cy + y),
                other => panic!("unexpected command {other}"),
            }
            result.last_mut().expect("starts with M").push((cx, cy));
        }
        result
    }

    fn view_box(svg: Node) -> [f64; 4] {
        let numbers: Vec<f64> = svg
            .attribute("viewBox")
            .expect("a viewBox")
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("a number"))
            .collect();
        [numbers[0], numbers[1], numbers[2], numbers[3]]
    }

    fn titled<'a, 'i>(doc: &'a Document<'i>, tag: &str) -> Vec<(Node<'a, 'i>, String)> {
        doc.descendants()
            .filter(|n| n.has_tag_name(tag))
            .map(|n| {
                let title = n
                    .children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .unwrap_or_default()
                    .to_owned();
                (n, title)
            })
            .collect()
    }

    #[test]
    fn the_projection_is_equal_earth() {
        // Reference values of d3-geo's geoEqualEarthRaw.
        let (x, y) = equal_earth(0.0, 180.0);
        assert!((x - 2.706_629).abs() < 1e-5, "{x}");
        assert!(y.abs() < 1e-12);
        let (x, y) = equal_earth(90.0, 0.0);
        assert!(x.abs() < 1e-12);
        assert!((y - 1.317_362).abs() < 1e-5, "{y}");
        let (x0, y0) = project(0.0, -180.0);
        let (x1, _) = project(0.0, 180.0);
        let (_, y1) = project(-90.0, 180.0);
        assert!(x0.abs() < 1e-9 && (x1 - WORLD_WIDTH).abs() < 1e-9);
        assert!((y0 - world_height() / 2.0).abs() < 1e-9 && (y1 - world_height()).abs() < 1e-9);
    }

    #[test]
    fn the_map_is_xml_with_title_description_and_every_line_and_point() {
        let points = [
            point(LEIDSCHENDAM, "Leidschendam-Voorburg", "home"),
            point(HRANICE, "Hranice <Tsjechië> & \"zo\" 'n stad", "partner"),
            point(TOKYO, "Tokyo", "partner"),
        ];
        let lines = [
            line(
                LEIDSCHENDAM,
                HRANICE,
                "Leidschendam-Voorburg – Hranice & <co>",
                "register",
            ),
            line(TOKYO, SAN_FRANCISCO, "Tokyo – San Francisco", "world"),
        ];
        for fit in [false, true] {
            let svg = world_map_svg(&spec(&points, &lines, fit));
            assert!(!svg.contains("<style"), "the CSP forbids inline styles");
            assert!(!svg.contains("Hranice <Tsjechië>"), "labels are escaped");
            assert!(svg.contains("Hranice &lt;Tsjechië&gt; &amp; &quot;zo&quot; &apos;n stad"));
            let doc = Document::parse(&svg).expect("the map is XML");
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(root.attribute("role"), Some("img"));
            assert_eq!(root.attribute("width"), Some("800"));
            let ids: Vec<&str> = root
                .attribute("aria-labelledby")
                .expect("labelled")
                .split(' ')
                .collect();
            let title = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(ids[0]))
                .expect("the title");
            assert_eq!(title.tag_name().name(), "title");
            assert_eq!(title.text(), Some("Stedenbanden van Leidschendam-Voorburg"));
            let desc = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(ids[1]))
                .expect("the description");
            assert_eq!(desc.tag_name().name(), "desc");
            assert_eq!(
                desc.text(),
                Some("Een kaart met de partnersteden & hun verbindingen.")
            );

            let circles = titled(&doc, "circle");
            assert_eq!(circles.len(), points.len());
            for p in &points {
                let (circle, _) = circles
                    .iter()
                    .find(|(_, t)| *t == p.label)
                    .unwrap_or_else(|| panic!("a circle for {}", p.label));
                assert_eq!(circle.attribute("class"), Some(p.class));
            }
            let home = circles
                .iter()
                .find(|(c, _)| c.attribute("class") == Some("home"));
            let partner = circles
                .iter()
                .find(|(c, _)| c.attribute("class") == Some("partner"));
            let radius = |c: &Option<&(Node, String)>| -> f64 {
                c.expect("there")
                    .0
                    .attribute("r")
                    .expect("r")
                    .parse()
                    .expect("a number")
            };
            assert!(radius(&home) > radius(&partner), "home is bigger");

            let paths = titled(&doc, "path");
            let line_paths: Vec<_> = paths
                .iter()
                .filter(|(n, _)| n.ancestors().any(|a| a.attribute("class") == Some("lines")))
                .collect();
            assert_eq!(line_paths.len(), lines.len());
            for l in &lines {
                let (path, _) = line_paths
                    .iter()
                    .find(|(_, t)| *t == l.label)
                    .unwrap_or_else(|| panic!("a path for {}", l.label));
                assert_eq!(path.attribute("class"), Some(l.class));
            }
            // The countries are there, silent.
            let countries = doc
                .descendants()
                .find(|n| n.attribute("class") == Some("countries"))
                .expect("countries");
            assert!(
                countries
                    .ancestors()
                    .any(|a| a.attribute("aria-hidden") == Some("true"))
            );
            assert!(countries.children().filter(|c| c.is_element()).count() > 20);
        }
    }

    #[test]
    fn a_line_across_europe_is_one_path_from_west_to_east() {
        let lines = [line(LEIDSCHENDAM, HRANICE, "L-V – Hranice", "register")];
        for fit in [false, true] {
            let svg = world_map_svg(&spec(&[], &lines, fit));
            let doc = Document::parse(&svg).expect("XML");
            let paths: Vec<_> = doc
                .descendants()
                .filter(|n| n.has_tag_name("path") && n.attribute("class") == Some("register"))
                .collect();
            assert_eq!(paths.len(), 1);
            let pieces = subpaths(paths[0].attribute("d").expect("d"));
            assert_eq!(pieces.len(), 1, "one piece: {pieces:?}");
            let (first, last) = (pieces[0][0], *pieces[0].last().expect("points"));
            assert!(first.0 < last.0, "{first:?} is left of {last:?}");
            let (x0, y0) = project(LEIDSCHENDAM.0, LEIDSCHENDAM.1);
            let (x1, y1) = project(HRANICE.0, HRANICE.1);
            assert!((first.0 - x0).abs() < 0.06 && (first.1 - y0).abs() < 0.06);
            assert!(
                (last.0 - x1).abs() < 0.2 && (last.1 - y1).abs() < 0.2,
                "{last:?}"
            );
            // More than the two ends: it follows the great circle.
            assert!(pieces[0].len() >= 3);
        }
    }

    #[test]
    fn a_line_across_the_pacific_is_split_at_the_antimeridian() {
        let lines = [line(TOKYO, SAN_FRANCISCO, "Tokyo – San Francisco", "world")];
        for fit in [false, true] {
            let svg = world_map_svg(&spec(&[], &lines, fit));
            let doc = Document::parse(&svg).expect("XML");
            let path = doc
                .descendants()
                .find(|n| n.has_tag_name("path") && n.attribute("class") == Some("world"))
                .expect("the line");
            let pieces = subpaths(path.attribute("d").expect("d"));
            assert_eq!(pieces.len(), 2, "{pieces:?}");
            for piece in &pieces {
                for pair in piece.windows(2) {
                    assert!(
                        (pair[1].0 - pair[0].0).abs() < WORLD_WIDTH / 2.0,
                        "{pair:?} streaks across the map"
                    );
                }
            }
            // The pieces end and start on the map's right and left edges (the antimeridian,
            // symmetric about the middle), at the same height; the great circle goes north of
            // both cities.
            let end = *pieces[0].last().expect("points");
            let start = pieces[1][0];
            assert!(end.0 > 0.9 * WORLD_WIDTH && start.0 < 0.1 * WORLD_WIDTH);
            assert!(
                (end.0 + start.0 - WORLD_WIDTH).abs() < 0.11,
                "{end:?} {start:?}"
            );
            assert!((end.1 - start.1).abs() < 0.06);
            assert!(end.1 < project(TOKYO.0, TOKYO.1).1);
        }
    }

    #[test]
    fn a_fitted_view_contains_all_points_and_lines() {
        let points = [
            point(LEIDSCHENDAM, "Leidschendam-Voorburg", "home"),
            point(HRANICE, "Hranice", "partner"),
            point((42.5, 1.5), "Andorra", "partner"),
            point((60.17, 24.94), "Helsinki", "partner"),
        ];
        let lines = [line(
            LEIDSCHENDAM,
            (60.17, 24.94),
            "naar Helsinki",
            "register",
        )];
        let svg = world_map_svg(&spec(&points, &lines, true));
        let doc = Document::parse(&svg).expect("XML");
        let [x, y, w, h] = view_box(doc.root_element());
        assert!(w < WORLD_WIDTH / 4.0, "cropped: {w}");
        assert!((1.19..=2.11).contains(&(w / h)), "{w} x {h}");
        for (circle, label) in titled(&doc, "circle") {
            let cx: f64 = circle
                .attribute("cx")
                .expect("cx")
                .parse()
                .expect("a number");
            let cy: f64 = circle
                .attribute("cy")
                .expect("cy")
                .parse()
                .expect("a number");
            let r: f64 = circle.attribute("r").expect("r").parse().expect("a number");
            assert!(
                cx - r > x && cx + r < x + w && cy - r > y && cy + r < y + h,
                "{label} at {cx},{cy} outside {x} {y} {w} {h}"
            );
        }
        // The height follows the view.
        let height: f64 = doc
            .root_element()
            .attribute("height")
            .expect("height")
            .parse()
            .expect("n");
        assert!((height - 800.0 * h / w).abs() <= 1.0);
        // Far-away countries are left out.
        assert!(svg.len() < 60_000, "{}", svg.len());
    }

    #[test]
    fn a_single_town_gets_a_view_around_it() {
        let points = [point(LEIDSCHENDAM, "Leidschendam-Voorburg", "home")];
        let svg = world_map_svg(&spec(&points, &[], true));
        let doc = Document::parse(&svg).expect("XML");
        let [x, y, w, h] = view_box(doc.root_element());
        assert!(
            (MIN_FIT_WIDTH - 0.01..2.0 * MIN_FIT_WIDTH).contains(&w),
            "{w}"
        );
        let (px, py) = project(LEIDSCHENDAM.0, LEIDSCHENDAM.1);
        assert!((x + w / 2.0 - px).abs() < 0.1 && (y + h / 2.0 - py).abs() < 0.1);
    }

    #[test]
    fn nothing_to_fit_shows_the_world() {
        let svg = world_map_svg(&spec(&[], &[], true));
        let doc = Document::parse(&svg).expect("XML");
        let [x, y, w, h] = view_box(doc.root_element());
        assert_eq!([x, y, w], [0.0, 0.0, WORLD_WIDTH]);
        assert!((h - world_height()).abs() < 0.06);
    }

    #[test]
    fn highlighting_nl_fills_the_netherlands_only() {
        let highlight = ["nl"];
        let svg = world_map_svg(&MapSpec {
            highlight: &highlight,
            ..spec(&[], &[], false)
        });
        let doc = Document::parse(&svg).expect("XML");
        let highlighted: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("country highlight"))
            .collect();
        assert_eq!(highlighted.len(), 1);
        // It is the feature with id 528, around Amersfoort.
        let netherlands = COUNTRIES
            .iter()
            .find(|c| c.alpha2 == Some("NL"))
            .expect("NL in the data");
        assert_eq!(netherlands.rings.len(), 1);
        let points: Vec<(f64, f64)> = subpaths(highlighted[0].attribute("d").expect("d"))
            .into_iter()
            .flatten()
            .collect();
        let (min_x, max_x) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (min_y, max_y) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let (ax, ay) = project(52.16, 5.39);
        assert!(min_x < ax && ax < max_x && min_y < ay && ay < max_y);
        assert!(max_x - min_x < 15.0 && max_y - min_y < 15.0);
        // Every other country is plain.
        let plain = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("country"))
            .count();
        assert!(plain > 150, "{plain}");
    }

    #[test]
    fn countries_have_iso_codes() {
        let codes: Vec<&str> = COUNTRIES.iter().filter_map(|c| c.alpha2).collect();
        assert_eq!(COUNTRIES.len(), 177);
        // All but Northern Cyprus and Somaliland.
        assert_eq!(codes.len(), 175);
        for code in ["NL", "CZ", "XK", "RU", "FJ", "AQ", "US", "JP", "FR"] {
            assert!(codes.contains(&code), "{code}");
        }
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn the_world_map_is_small_and_has_no_streaks() {
        let svg = world_map_svg(&spec(&[], &[], false));
        assert!(svg.len() < 150_000, "{} bytes", svg.len());
        let doc = Document::parse(&svg).expect("XML");
        for path in doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("country"))
        {
            for piece in subpaths(path.attribute("d").expect("d")) {
                for pair in piece.windows(2) {
                    // Antarctica's edge along the south pole is the one long one.
                    let pole = world_height() - 0.06;
                    if pair[0].1 > pole && pair[1].1 > pole {
                        continue;
                    }
                    assert!(
                        (pair[1].0 - pair[0].0).abs() < WORLD_WIDTH / 2.0,
                        "{pair:?} streaks across the map"
                    );
                }
            }
        }
    }

    #[test]
    fn rings_across_the_antimeridian_are_cut() {
        // Fiji, the east of Russia and Antarctica cross it in the data.
        for code in ["FJ", "RU", "AQ"] {
            let country = COUNTRIES
                .iter()
                .find(|c| c.alpha2 == Some(code))
                .expect("in the data");
            for ring in &country.rings {
                for pair in ring.points.windows(2) {
                    // Antarctica's edge along the south pole is the one long one.
                    let on_pole = pair.iter().all(|p| (p.1 - world_height()).abs() < 1e-6);
                    assert!(
                        on_pole || (pair[1].0 - pair[0].0).abs() < 50.0,
                        "{code}: {pair:?}"
                    );
                }
            }
            // Fiji and Russia have land on both sides of the map.
            if code != "AQ" {
                let half = WORLD_WIDTH / 2.0;
                assert!(country.rings.iter().any(|r| r.bbox[2] < half), "{code}");
                assert!(country.rings.iter().any(|r| r.bbox[0] > half), "{code}");
            }
        }
        // Antarctica reaches the south pole, the bottom of the map, along its whole width.
        let antarctica = COUNTRIES
            .iter()
            .find(|c| c.alpha2 == Some("AQ"))
            .expect("in the data");
        let widest = antarctica
            .rings
            .iter()
            .max_by(|a, b| (a.bbox[2] - a.bbox[0]).total_cmp(&(b.bbox[2] - b.bbox[0])))
            .expect("rings");
        assert!((widest.bbox[3] - world_height()).abs() < 1e-6);
        for end in [project(-90.0, -180.0), project(-90.0, 180.0)] {
            assert!(widest.points.contains(&end), "{end:?}");
        }
    }

    #[test]
    fn coordinates_have_one_decimal_on_the_world_map() {
        let points = [point((52.123_456, 4.987_654), "x", "home")];
        let svg = world_map_svg(&spec(&points, &[], false));
        let doc = Document::parse(&svg).expect("XML");
        for n in doc.descendants().filter(|n| n.is_element()) {
            for attr in ["cx", "cy", "d", "viewBox"] {
                if let Some(v) = n.attribute(attr) {
                    for number in v.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
                        if let Some((_, decimals)) = number.split_once('.') {
                            assert!(decimals.len() <= 1, "{attr}={number}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn great_circles_between_antipodes_and_identical_places_are_drawn() {
        let lines = [
            line((10.0, 20.0), (-10.0, -160.0), "antipodes", "x"),
            line(LEIDSCHENDAM, LEIDSCHENDAM, "same place", "x"),
            line((f64::NAN, 0.0), HRANICE, "nowhere", "x"),
        ];
        let svg = world_map_svg(&spec(&[], &lines, false));
        let doc = Document::parse(&svg).expect("XML");
        let paths = titled(&doc, "path");
        assert!(paths.iter().any(|(_, t)| t == "antipodes"));
        assert!(paths.iter().any(|(_, t)| t == "same place"));
        assert!(!paths.iter().any(|(_, t)| t == "nowhere"));
        // Longitudes beyond 180 are wrapped: this short line crosses the antimeridian.
        let svg = world_map_svg(&spec(
            &[],
            &[line((0.0, 170.0), (0.0, 190.0), "wrapped", "x")],
            false,
        ));
        let doc = Document::parse(&svg).expect("XML");
        let (path, _) = titled(&doc, "path")
            .into_iter()
            .find(|(_, t)| t == "wrapped")
            .expect("the line");
        let pieces = subpaths(path.attribute("d").expect("d"));
        assert_eq!(pieces.len(), 2);
        assert!(
            pieces
                .iter()
                .flatten()
                .all(|p| p.0 < 60.0 || p.0 > WORLD_WIDTH - 60.0)
        );
        let arc = great_circle((10.0, 20.0), (-10.0, -160.0));
        assert!(arc.len() > 80);
        assert!(arc.windows(2).all(|p| {
            let (a, b) = (to_vector(p[0].0, p[0].1), to_vector(p[1].0, p[1].1));
            length(cross(a, b)).atan2(dot(a, b)).to_degrees() <= SEGMENT_DEGREES + 1e-9
        }));
    }

    #[test]
    fn escaping_covers_the_five_characters() {
        assert_eq!(esc(r#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
        assert_eq!(esc("bell\u{7}"), "bell");
    }
}
