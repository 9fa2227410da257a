//! Impact analysis over the relationship graph: what a CI's failure reaches (up), what a CI needs
//! (down) and its neighbourhood (the map). Pure: the service loads the edges, this walks them.
//!
//! Every walk is breadth first, so each CI is reached once, by a shortest path, and a walk over
//! cycles ends. Redundancy: relationships of one CI can form a set with "at least k of n must be
//! up"; a failure reaches that CI through the set only when fewer than k members are up, counting
//! as down the members this failure reaches and the members already failed on their own.

use super::relationship::{RelationshipKind, RelationshipType};
use super::super::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// Default depth of an impact walk.
pub const DEFAULT_DEPTH: u8 = 5;
/// Deepest walk allowed.
pub const MAX_DEPTH: u8 = 10;

/// One stored relationship `from → to` (see [`super::relationship`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Relationship id.
    pub id: i64,
    /// The CI that needs, holds or contains.
    pub from: i64,
    /// The CI needed, held or contained.
    pub to: i64,
    /// Kind.
    pub kind: RelationshipKind,
    /// The redundancy set it belongs to (a set of `from`'s relationships).
    pub redundancy: Option<i64>,
}

/// Which way a walk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Direction {
    /// What is affected if this CI fails.
    Up,
    /// What this CI needs.
    Down,
}

impl Direction {
    /// Parses `up` or `down` (empty: up). Fails on `direction`.
    pub fn parse(raw: Option<&str>) -> Result<Self, FieldError> {
        match raw.map(|r| r.trim().to_lowercase()).as_deref() {
            None | Some("") | Some("up") => Ok(Self::Up),
            Some("down") => Ok(Self::Down),
            Some(other) => Err(FieldError::new("direction", format!("Unknown direction '{other}': use up or down"))),
        }
    }
}

/// Parses a walk depth: 1 to [`MAX_DEPTH`], `default` when absent. Fails on `depth`.
pub fn parse_depth(raw: Option<i64>, default: u8) -> Result<u8, FieldError> {
    match raw {
        None => Ok(default),
        Some(d) if (1..=MAX_DEPTH as i64).contains(&d) => Ok(d as u8),
        Some(_) => Err(FieldError::new("depth", format!("Depth must be 1 to {MAX_DEPTH}"))),
    }
}

/// One step of a path: the relationship taken and the CI it arrives at, read from the CI before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Relationship id.
    pub relationship: i64,
    /// The CI reached.
    pub ci: i64,
    /// How the CI before relates to this one (`used_by`: the CI before is used by this one).
    pub via: RelationshipType,
}

/// A CI a walk reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// The CI.
    pub ci: i64,
    /// Hops from the start.
    pub depth: u8,
    /// The steps from the start to it (the last one arrives at `ci`).
    pub path: Vec<Step>,
}

/// A CI the failure reached one member of a redundancy set of, but not the CI: enough members up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The CI protected by the set.
    pub ci: i64,
    /// The set.
    pub set: i64,
    /// Members still up.
    pub up: u32,
    /// Members that must be up.
    pub needed: u32,
    /// Members in all.
    pub members: u32,
}

/// The result of an upward walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impact {
    /// Affected CIs, nearest first.
    pub reached: Vec<Reached>,
    /// CIs that redundancy protected.
    pub held: Vec<Held>,
    /// The walk stopped at its node limit.
    pub truncated: bool,
}

/// Relationships loaded for a walk, indexed both ways.
#[derive(Debug, Default)]
pub struct ImpactGraph {
    edges: Vec<Edge>,
    from: HashMap<i64, Vec<usize>>,
    to: HashMap<i64, Vec<usize>>,
    sets: HashMap<i64, (u32, Vec<usize>)>,
}

impl ImpactGraph {
    /// Indexes `edges` (duplicates by id are kept once); `min_up` gives each redundancy set's k.
    pub fn new(mut edges: Vec<Edge>, min_up: &HashMap<i64, u32>) -> Self {
        edges.sort_by_key(|e| e.id);
        edges.dedup_by_key(|e| e.id);
        let mut g = Self { edges, ..Default::default() };
        for (i, e) in g.edges.iter().enumerate() {
            g.from.entry(e.from).or_default().push(i);
            g.to.entry(e.to).or_default().push(i);
            if let Some(set) = e.redundancy {
                g.sets.entry(set).or_insert_with(|| (min_up.get(&set).copied().unwrap_or(1), Vec::new())).1.push(i);
            }
        }
        g
    }

    /// The relationships loaded.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// What fails with `root`, to `depth` hops, reaching at most `limit` CIs. `failed` are the CIs
    /// down on their own (they count against their redundancy sets).
    pub fn failing_upward(&self, root: i64, failed: &HashSet<i64>, depth: u8, limit: usize) -> Impact {
        let mut reached: HashMap<i64, usize> = HashMap::from([(root, usize::MAX)]);
        let mut out: Vec<Reached> = Vec::new();
        let mut held: BTreeMap<(i64, i64), Held> = BTreeMap::new();
        let mut queue = VecDeque::from([(root, 0u8)]);
        let mut truncated = false;
        'walk: while let Some((node, d)) = queue.pop_front() {
            if d >= depth {
                continue;
            }
            for &i in self.to.get(&node).into_iter().flatten() {
                let e = self.edges[i];
                if !e.kind.carries_failure() || reached.contains_key(&e.from) {
                    continue;
                }
                if let Some(set) = e.redundancy {
                    let (needed, members) = &self.sets[&set];
                    let down = members.iter().filter(|&&m| reached.contains_key(&self.edges[m].to) || failed.contains(&self.edges[m].to)).count() as u32;
                    let up = members.len() as u32 - down;
                    if up >= *needed {
                        held.insert((e.from, set), Held { ci: e.from, set, up, needed: *needed, members: members.len() as u32 });
                        continue;
                    }
                }
                if out.len() >= limit {
                    truncated = true;
                    break 'walk;
                }
                let mut path = reached.get(&node).and_then(|&p| out.get(p)).map(|r| r.path.clone()).unwrap_or_default();
                path.push(Step { relationship: e.id, ci: e.from, via: RelationshipType { kind: e.kind, inverse: true } });
                reached.insert(e.from, out.len());
                out.push(Reached { ci: e.from, depth: d + 1, path });
                queue.push_back((e.from, d + 1));
            }
        }
        // A set judged while the walk went on may have lost more members since (or at the
        // depth limit, where members are not expanded): judge it again on the final walk.
        let held = held
            .into_values()
            .filter(|h| !reached.contains_key(&h.ci))
            .filter_map(|mut h| {
                let (_, members) = &self.sets[&h.set];
                let down = members.iter().filter(|&&m| reached.contains_key(&self.edges[m].to) || failed.contains(&self.edges[m].to)).count() as u32;
                h.up = members.len() as u32 - down;
                (h.up >= h.needed).then_some(h)
            })
            .collect();
        Impact { reached: out, held, truncated }
    }

    /// What `root` needs, to `depth` hops, at most `limit` CIs (relationships that carry failure,
    /// followed forward).
    pub fn needs(&self, root: i64, depth: u8, limit: usize) -> (Vec<Reached>, bool) {
        self.walk(root, depth, limit, |node| {
            self.from.get(&node).into_iter().flatten().map(|&i| self.edges[i]).filter(|e| e.kind.carries_failure()).map(|e| (e, e.to, RelationshipType { kind: e.kind, inverse: false })).collect()
        })
    }

    /// Every CI within `depth` hops of `root` over any relationship, either way, at most `limit`.
    pub fn neighbourhood(&self, root: i64, depth: u8, limit: usize) -> (Vec<Reached>, bool) {
        self.walk(root, depth, limit, |node| {
            let outgoing = self.from.get(&node).into_iter().flatten().map(|&i| self.edges[i]).map(|e| (e, e.to, RelationshipType::seen_from(e.kind, e.from, node)));
            let incoming = self.to.get(&node).into_iter().flatten().map(|&i| self.edges[i]).map(|e| (e, e.from, RelationshipType::seen_from(e.kind, e.from, node)));
            let mut next: Vec<_> = outgoing.chain(incoming).filter(|(_, other, _)| *other != node).collect();
            next.sort_by_key(|(e, _, _)| e.id);
            next
        })
    }

    fn walk(&self, root: i64, depth: u8, limit: usize, next: impl Fn(i64) -> Vec<(Edge, i64, RelationshipType)>) -> (Vec<Reached>, bool) {
        let mut reached: HashMap<i64, usize> = HashMap::from([(root, usize::MAX)]);
        let mut out: Vec<Reached> = Vec::new();
        let mut queue = VecDeque::from([(root, 0u8)]);
        while let Some((node, d)) = queue.pop_front() {
            if d >= depth {
                continue;
            }
            for (e, other, via) in next(node) {
                if reached.contains_key(&other) {
                    continue;
                }
                if out.len() >= limit {
                    return (out, true);
                }
                let mut path = reached.get(&node).and_then(|&p| out.get(p)).map(|r| r.path.clone()).unwrap_or_default();
                path.push(Step { relationship: e.id, ci: other, via });
                reached.insert(other, out.len());
                out.push(Reached { ci: other, depth: d + 1, path });
                queue.push_back((other, d + 1));
            }
        }
        (out, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RelationshipKind::*;

    fn edge(id: i64, from: i64, kind: RelationshipKind, to: i64) -> Edge {
        Edge { id, from, to, kind, redundancy: None }
    }

    fn ids(r: &[Reached]) -> Vec<i64> {
        r.iter().map(|r| r.ci).collect()
    }

    fn graph(edges: Vec<Edge>) -> ImpactGraph {
        ImpactGraph::new(edges, &HashMap::new())
    }

    #[test]
    fn failure_travels_against_the_arrows_with_paths() {
        // Email service (1) depends on Exchange (2), which runs on SRV (3), hosted on HV (4).
        let g = graph(vec![edge(10, 1, DependsOn, 2), edge(11, 2, RunsOn, 3), edge(12, 3, HostedOn, 4)]);
        let up = g.failing_upward(4, &HashSet::new(), 5, 1000);
        assert_eq!(ids(&up.reached), [3, 2, 1]);
        assert_eq!(up.reached.iter().map(|r| r.depth).collect::<Vec<_>>(), [1, 2, 3]);
        let path: Vec<(i64, &str)> = up.reached[2].path.iter().map(|s| (s.ci, s.via.code())).collect();
        assert_eq!(path, [(3, "hosts"), (2, "runs"), (1, "used_by")]);
        assert_eq!(up.reached[2].path.iter().map(|s| s.relationship).collect::<Vec<_>>(), [12, 11, 10]);
        let (down, truncated) = g.needs(1, 5, 1000);
        assert_eq!((ids(&down), truncated), (vec![2, 3, 4], false));
        assert_eq!(down[2].path.iter().map(|s| s.via.code()).collect::<Vec<_>>(), ["depends_on", "runs_on", "hosted_on"]);
        assert!(g.failing_upward(1, &HashSet::new(), 5, 1000).reached.is_empty(), "nothing depends on the service");
    }

    #[test]
    fn depth_limits_the_walk() {
        let chain: Vec<Edge> = (1..=12).map(|i| edge(i, i + 1, DependsOn, i)).collect();
        let g = graph(chain);
        assert_eq!(g.failing_upward(1, &HashSet::new(), 5, 1000).reached.len(), 5);
        assert_eq!(g.failing_upward(1, &HashSet::new(), 10, 1000).reached.len(), 10);
        assert_eq!(g.failing_upward(1, &HashSet::new(), 1, 1000).reached.len(), 1);
        assert_eq!(parse_depth(None, DEFAULT_DEPTH), Ok(5));
        assert_eq!(parse_depth(Some(10), DEFAULT_DEPTH), Ok(10));
        assert_eq!(parse_depth(Some(11), DEFAULT_DEPTH).unwrap_err().field, "depth");
        assert_eq!(parse_depth(Some(0), DEFAULT_DEPTH).unwrap_err().field, "depth");
        assert_eq!(Direction::parse(Some("DOWN")), Ok(Direction::Down));
        assert_eq!(Direction::parse(None), Ok(Direction::Up));
        assert_eq!(Direction::parse(Some("sideways")).unwrap_err().field, "direction");
    }

    #[test]
    fn cycles_end_and_reach_each_ci_once_by_a_shortest_path() {
        // 1 → 2 → 3 → 1 and 3 → 4, 4 → 2: every CI depends on every other, through cycles.
        let g = graph(vec![edge(1, 1, DependsOn, 2), edge(2, 2, DependsOn, 3), edge(3, 3, DependsOn, 1), edge(4, 3, DependsOn, 4), edge(5, 4, DependsOn, 2)]);
        let up = g.failing_upward(2, &HashSet::new(), 10, 1000);
        let mut reached = ids(&up.reached);
        reached.sort();
        assert_eq!(reached, [1, 3, 4], "the start is not reached again, no CI twice");
        assert_eq!(up.reached.iter().find(|r| r.ci == 4).unwrap().depth, 1);
        assert_eq!(up.reached.iter().find(|r| r.ci == 3).unwrap().depth, 2, "via 1 or 4, two hops");
        let (down, _) = g.needs(1, 10, 1000);
        assert_eq!(ids(&down), [2, 3, 4]);
        // A self-loop in the data changes nothing.
        let g = graph(vec![edge(1, 1, DependsOn, 1), edge(2, 2, DependsOn, 1)]);
        assert_eq!(ids(&g.failing_upward(1, &HashSet::new(), 5, 1000).reached), [2]);
    }

    #[test]
    fn links_between_peers_carry_no_failure_but_are_neighbours() {
        let g = graph(vec![edge(1, 1, ConnectedTo, 2), edge(2, 3, DependsOn, 2)]);
        assert_eq!(ids(&g.failing_upward(1, &HashSet::new(), 5, 1000).reached), Vec::<i64>::new());
        assert_eq!(ids(&g.failing_upward(2, &HashSet::new(), 5, 1000).reached), [3]);
        let (near, _) = g.neighbourhood(1, 2, 1000);
        assert_eq!(ids(&near), [2, 3]);
        assert_eq!(near[1].path.iter().map(|s| s.via.code()).collect::<Vec<_>>(), ["connected_to", "used_by"]);
        let (near, _) = g.neighbourhood(3, 1, 1000);
        assert_eq!((ids(&near), near[0].path[0].via.code()), (vec![2], "depends_on"));
    }

    #[test]
    fn redundancy_holds_until_fewer_than_k_members_are_up() {
        // APP (1) depends on DB-A (2) and DB-B (3), a set needing 1 of 2; the service (4)
        // depends on APP; DB-A and DB-B both run on their own servers 5 and 6.
        let set = |id, from, to| Edge { id, from, to, kind: DependsOn, redundancy: Some(7) };
        let edges = vec![set(1, 1, 2), set(2, 1, 3), edge(3, 4, DependsOn, 1), edge(4, 2, RunsOn, 5), edge(5, 3, RunsOn, 6), edge(6, 2, DependsOn, 8), edge(7, 3, DependsOn, 8)];
        let g = ImpactGraph::new(edges.clone(), &HashMap::from([(7, 1)]));
        let none = HashSet::new();
        let one = g.failing_upward(2, &none, 5, 1000);
        assert_eq!(ids(&one.reached), Vec::<i64>::new(), "one member down: APP holds");
        assert_eq!(one.held, [Held { ci: 1, set: 7, up: 1, needed: 1, members: 2 }]);
        // The other member already failed on its own: this failure takes the set down.
        let both = g.failing_upward(2, &HashSet::from([3]), 5, 1000);
        assert_eq!(ids(&both.reached), [1, 4]);
        assert!(both.held.is_empty());
        // A failure below both members (storage 8 under both databases) takes the set down.
        let shared = g.failing_upward(8, &none, 5, 1000);
        assert_eq!(ids(&shared.reached), [2, 3, 1, 4]);
        assert!(shared.held.is_empty());
        assert_eq!(shared.reached[2].path.iter().map(|s| s.ci).collect::<Vec<_>>(), [2, 1], "both members were down when APP was reached through the first");
        // k = 2 of 2: any member down takes it down.
        let strict = ImpactGraph::new(edges, &HashMap::from([(7, 2)]));
        assert_eq!(ids(&strict.failing_upward(5, &none, 5, 1000).reached), [2, 1, 4]);
        // The walk down ignores redundancy: APP needs both.
        assert_eq!(ids(&g.needs(1, 1, 1000).0), [2, 3]);
    }

    #[test]
    fn a_set_judged_early_is_judged_again_at_the_end() {
        // Depth 2: member A (1) is one hop from the failing root (9), member B (2) two hops; both
        // are reached, so the CI owning the set (5) is not held up, though it lies beyond depth.
        let set = |id, to| Edge { id, from: 5, to, kind: DependsOn, redundancy: Some(1) };
        let g = ImpactGraph::new(vec![edge(1, 1, DependsOn, 9), edge(2, 3, DependsOn, 9), edge(3, 2, DependsOn, 3), set(4, 1), set(5, 2)], &HashMap::from([(1, 1)]));
        let up = g.failing_upward(9, &HashSet::new(), 2, 1000);
        assert_eq!(ids(&up.reached), [1, 3, 2]);
        assert!(up.held.is_empty(), "{:?}", up.held);
        assert_eq!(g.failing_upward(9, &HashSet::new(), 3, 1000).reached.last().map(|r| r.ci), Some(5));
    }

    #[test]
    fn walks_stop_at_their_limit() {
        let star: Vec<Edge> = (2..=500).map(|i| edge(i, i, DependsOn, 1)).collect();
        let g = graph(star);
        let up = g.failing_upward(1, &HashSet::new(), 5, 200);
        assert_eq!((up.reached.len(), up.truncated), (200, true));
        let (near, truncated) = g.neighbourhood(1, 2, 200);
        assert_eq!((near.len(), truncated), (200, true));
        let (all, truncated) = g.neighbourhood(1, 2, 1000);
        assert_eq!((all.len(), truncated), (499, false));
    }
}
