//! Distances on the sphere.

use crate::municipality::Coordinates;

/// Mean Earth radius in kilometres (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres (haversine).
pub fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    let (la1, lo1) = (a.latitude().to_radians(), a.longitude().to_radians());
    let (la2, lo2) = (b.latitude().to_radians(), b.longitude().to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(lat: f64, lng: f64) -> Coordinates {
        Coordinates::new(lat, lng).unwrap()
    }

    #[test]
    fn known_distances() {
        // Leidschendam-Voorburg to Hranice: about 977 km.
        let d = distance_km(c(52.0833, 4.4), c(49.5482, 17.7347));
        assert!((970.0..985.0).contains(&d), "{d}");
        assert_eq!(distance_km(c(10.0, 10.0), c(10.0, 10.0)), 0.0);
        // A quarter of the equator.
        let q = distance_km(c(0.0, 0.0), c(0.0, 90.0));
        assert!((q - EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
    }
}
