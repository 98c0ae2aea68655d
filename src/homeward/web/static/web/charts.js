// Draws the Vega-Lite specs the server put in #chart-specs into #chart-NAME, on canvas. Expressions are
// evaluated by Vega's interpreter (vega-interpreter) rather than compiled with `new Function`, and neither
// vega-embed nor its tooltips add a <style> element: the charts work under Homeward's CSP.
const specs = JSON.parse(document.getElementById("chart-specs").textContent);
for (const [name, spec] of Object.entries(specs)) {
  vegaEmbed("#chart-" + name, spec, {
    actions: false,
    renderer: "canvas",
    ast: true,
    expr: window.vegaExpressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }, // its stylesheet is static/web/charts.css
  });
}
