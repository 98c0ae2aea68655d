// Starts Swagger UI from the settings the server put in #swagger-settings (was django-ninja's inline script).
const csrf = document.body.dataset;
const config = JSON.parse(document.getElementById("swagger-settings").textContent);
config.dom_id = "#swagger-ui";
config.presets = [SwaggerUIBundle.presets.apis];
if (csrf.apiCsrf && csrf.csrfToken) {
  config.requestInterceptor = (request) => {
    request.headers["X-CSRFToken"] = csrf.csrfToken;
    return request;
  };
}
SwaggerUIBundle(config);
