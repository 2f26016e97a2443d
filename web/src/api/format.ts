/** Display helpers moved to web/src/format.ts (Intl with the browser's locale); kept for imports. */
export { formatEta, formatNumber, formatTime, reasonLabel } from '../format.js';
