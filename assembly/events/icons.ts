// The icons a message picks from: one emoji each, all but one outside the Basic Multilingual
// Plane, so that every run sends 4-byte UTF-8.
export const ICONS: string[] = ["🚀", "📡", "⚡", "🔥", "🌊", "🌍", "🤖", "📦", "🧭", "🛸", "🔔", "🌟"];
