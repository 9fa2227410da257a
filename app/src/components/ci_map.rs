//! The map of a CI's neighbourhood: an SVG drawn from the same data on the server and in the
//! browser (rings around the CI, one per hop), each CI a link to its own map, coloured by
//! status and open incidents; the wheel zooms and dragging pans once hydrated. A table of the
//! same CIs sits below it for reading and for screen readers.

use crate::dto::{CiMap, ImpactNode};
use leptos::prelude::*;
use std::collections::HashMap;
use std::f64::consts::PI;

/// Space each CI takes on its ring.
const SLOT: f64 = 70.0;
/// Distance between rings at least.
const RING: f64 = 170.0;

/// Where each CI sits on the map, centred on the root at (0, 0), and the map's half width.
///
/// CIs of a ring are ordered by the angle of the CI they were reached from (so branches stay
/// together), then by name; a ring's radius grows with the CIs on it so they never overlap.
pub fn layout(map: &CiMap) -> (HashMap<i64, (f64, f64)>, f64) {
    let mut at: HashMap<i64, (f64, f64)> = HashMap::from([(map.root.ci.id, (0.0, 0.0))]);
    let mut angle: HashMap<i64, f64> = HashMap::from([(map.root.ci.id, 0.0)]);
    let mut radius = 0.0f64;
    let deepest = map.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    for depth in 1..=deepest {
        let mut ring: Vec<&ImpactNode> = map.nodes.iter().filter(|n| n.depth == depth).collect();
        let parent_angle = |n: &ImpactNode| {
            let parent = n.path.len().checked_sub(2).map(|i| n.path[i].ci_id).unwrap_or(map.root.ci.id);
            angle.get(&parent).copied().unwrap_or(0.0)
        };
        ring.sort_by(|a, b| parent_angle(a).total_cmp(&parent_angle(b)).then_with(|| a.ci.name.to_lowercase().cmp(&b.ci.name.to_lowercase())));
        radius = (radius + RING).max(ring.len() as f64 * SLOT / (2.0 * PI));
        let count = ring.len().max(1) as f64;
        let placed: Vec<(i64, f64)> = ring.iter().enumerate().map(|(i, n)| (n.ci.id, -PI / 2.0 + 2.0 * PI * i as f64 / count + depth as f64 * 0.15)).collect();
        for (id, a) in placed {
            angle.insert(id, a.rem_euclid(2.0 * PI));
            at.insert(id, (radius * a.cos(), radius * a.sin()));
        }
    }
    (at, radius + 110.0)
}

/// Escapes text for markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The inside of the map's `<svg>`, as markup: set as its inner HTML, so the browser parses it in
/// the SVG namespace whether the server or the browser renders it.
fn drawing(map: &CiMap, all: &[ImpactNode], at: &HashMap<i64, (f64, f64)>, depth: u8) -> String {
    let mut out = String::from(r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="24" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs><g class="map-edges">"#);
    for e in &map.edges {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(&e.from), at.get(&e.to)) else { continue };
        let arrow = if e.rel_type == "connected_to" { "" } else { r#" marker-end="url(#arrow)""# };
        out.push_str(&format!(r#"<line class="map-edge {}" x1="{x1:.0}" y1="{y1:.0}" x2="{x2:.0}" y2="{y2:.0}"{arrow}><title>{}</title></line>"#, escape(&e.rel_type), escape(&e.label)));
    }
    out.push_str(r#"</g><g class="map-nodes">"#);
    for n in all {
        let Some(&(x, y)) = at.get(&n.ci.id) else { continue };
        let (r, below) = if n.depth == 0 { (22, 38.0) } else { (15, 30.0) };
        let name = escape(&n.ci.name);
        out.push_str(&format!(
            r#"<a href="/console/cmdb/{}/map?depth={depth}" class="{}" data-ci="{name}"><title>{name} · {} · {} · {} open incident(s)</title><circle cx="{x:.0}" cy="{y:.0}" r="{r}"/>"#,
            n.ci.id,
            status_class(n),
            n.ci.class.label(),
            n.ci.status.label(),
            n.open_incidents
        ));
        if n.open_incidents > 0 {
            out.push_str(&format!(r#"<text class="map-count" x="{x:.0}" y="{:.0}">{}</text>"#, y + 4.0, n.open_incidents));
        }
        out.push_str(&format!(r#"<text class="map-label" x="{x:.0}" y="{:.0}">{name}</text></a>"#, y + below));
    }
    out.push_str("</g>");
    out
}

fn status_class(n: &ImpactNode) -> String {
    let mut class = format!("map-node status-{}", n.ci.status.code());
    if n.failed {
        class.push_str(" failed");
    } else if n.open_incidents > 0 {
        class.push_str(" incidents");
    }
    class
}

/// The SVG map and the table of its CIs.
#[component]
pub fn CiMapView(map: CiMap, depth: u8) -> impl IntoView {
    let (at, half) = layout(&map);
    let view_box = RwSignal::new((0.0f64, 0.0f64, 1.0f64));
    let drag = StoredValue::new(None::<(f64, f64)>);
    let box_text = move || {
        let (cx, cy, zoom) = view_box.get();
        let w = 2.0 * half / zoom;
        format!("{:.0} {:.0} {:.0} {:.0}", cx - w / 2.0, cy - w / 2.0, w, w)
    };
    let zoom_by = move |f: f64| view_box.update(|v| v.2 = (v.2 * f).clamp(0.25, 8.0));
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            zoom_by(if ev.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        drag.set_value(Some((ev.client_x() as f64, ev.client_y() as f64)));
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some((x, y)) = drag.get_value() else { return };
            let width = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.client_width() as f64).unwrap_or(800.0).max(1.0);
            let (nx, ny) = (ev.client_x() as f64, ev.client_y() as f64);
            view_box.update(|v| {
                let scale = 2.0 * half / v.2 / width;
                v.0 -= (nx - x) * scale;
                v.1 -= (ny - y) * scale;
            });
            drag.set_value(Some((nx, ny)));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_up = move |_: leptos::ev::PointerEvent| drag.set_value(None);
    let all: Vec<ImpactNode> = std::iter::once(map.root.clone()).chain(map.nodes.iter().cloned()).collect();
    let content = drawing(&map, &all, &at, depth);
    view! {
        <div class="map-tools" role="group" aria-label="Zoom">
            <button type="button" class="secondary" on:click=move |_| zoom_by(1.25) aria-label="Zoom in">"+"</button>
            <button type="button" class="secondary" on:click=move |_| zoom_by(0.8) aria-label="Zoom out">"−"</button>
            <button type="button" class="secondary" on:click=move |_| view_box.set((0.0, 0.0, 1.0))>"Reset"</button>
        </div>
        <svg id="ci-map" class="ci-map" role="group" aria-label=format!("Map of {} and {} configuration items around it", map.root.ci.name, map.nodes.len())
            viewBox=box_text on:wheel=on_wheel on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointerleave=move |_| drag.set_value(None) inner_html=content>
        </svg>
        <p class="meta map-legend">
            <span class="dot status-in_service"></span>" in service "
            <span class="dot incidents"></span>" open incidents "
            <span class="dot failed"></span>" down (priority 1–2 incident or maintenance) "
            <span class="dot status-retired"></span>" retired or planned"
        </p>
        <table id="map-nodes">
            <thead><tr><th>"CI"</th><th>"Class"</th><th>"Status"</th><th>"Hops"</th><th>"Reached through"</th><th>"Open incidents"</th></tr></thead>
            <tbody>
                {all.into_iter().map(|n| view! {
                    <tr data-ci=n.ci.name.clone()>
                        <td><a href=format!("/console/cmdb/{}", n.ci.id)>{n.ci.name.clone()}</a></td>
                        <td>{n.ci.class.label()}</td>
                        <td>{n.ci.status.label()} {n.failed.then(|| view! { " " <span class="badge danger">"down"</span> })}</td>
                        <td>{n.depth}</td>
                        <td>{if n.path.is_empty() { "—".to_string() } else { n.path.iter().map(|s| format!("{} {}", s.label.to_lowercase(), s.name)).collect::<Vec<_>>().join(" → ") }}</td>
                        <td>{n.open_incidents}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CiClass, CiStatus};
    use crate::dto::{CiRef, PathStep};

    fn node(id: i64, depth: u8, via: &[i64]) -> ImpactNode {
        let path = via.iter().chain([&id]).map(|&c| PathStep { ci_id: c, name: format!("CI-{c}"), rel_type: "used_by".into(), label: "Used by".into() }).collect();
        ImpactNode { ci: CiRef { id, name: format!("CI-{id}"), class: CiClass::Server, status: CiStatus::InService }, depth, path, open_incidents: 0, failed: false }
    }

    #[test]
    fn rings_grow_with_their_cis_and_never_overlap() {
        let mut nodes = vec![node(2, 1, &[]), node(3, 1, &[])];
        nodes.extend((10..210).map(|i| node(i, 2, &[2 + i % 2])));
        let map = CiMap { root: node(1, 0, &[]), depth: 2, nodes, edges: vec![], truncated: false };
        let (at, half) = layout(&map);
        assert_eq!(at.len(), 203);
        assert_eq!(at[&1], (0.0, 0.0));
        let r = |id: i64| (at[&id].0.powi(2) + at[&id].1.powi(2)).sqrt();
        assert!((r(2) - RING).abs() < 1e-6);
        let outer = r(10);
        assert!(outer >= 200.0 * SLOT / (2.0 * PI) - 1e-6, "200 CIs need a ring of {outer}");
        let points: Vec<(f64, f64)> = (10..210).map(|i| at[&i]).collect();
        let closest = points.iter().enumerate().flat_map(|(i, a)| points[i + 1..].iter().map(move |b| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())).fold(f64::MAX, f64::min);
        assert!(closest >= SLOT * 0.99, "CIs on a ring are {closest} apart");
        assert!(half > outer);
    }

    #[test]
    fn the_drawing_links_every_ci_and_escapes_names() {
        let mut root = node(1, 0, &[]);
        root.ci.name = "A<B>&\"C".into();
        root.open_incidents = 2;
        let map = CiMap {
            root,
            depth: 1,
            nodes: vec![node(2, 1, &[])],
            edges: vec![crate::dto::MapEdge { id: 9, from: 2, to: 1, rel_type: "depends_on".into(), label: "Depends on".into() }],
            truncated: false,
        };
        let all: Vec<ImpactNode> = std::iter::once(map.root.clone()).chain(map.nodes.iter().cloned()).collect();
        let (at, _) = layout(&map);
        let svg = drawing(&map, &all, &at, 1);
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert_eq!(svg.matches("<line ").count(), 1);
        assert!(svg.contains("A&lt;B&gt;&amp;&quot;C"), "{svg}");
        assert!(!svg.contains("A<B"), "{svg}");
        assert!(svg.contains(r#"href="/console/cmdb/2/map?depth=1""#));
        assert!(svg.contains(r#"<text class="map-count""#), "open incidents are counted on the node");
    }
}
