'use strict';

// The traces the atlas draws: the map's town markers (scattermap) and the timeline (bar).
// plotly.js/lib/core brings the scatter trace and the components (legend, hover, mode
// bar, shapes, annotations...), as in every plotly.js partial bundle.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/scattermap'), require('plotly.js/lib/bar')]);

module.exports = Plotly;
