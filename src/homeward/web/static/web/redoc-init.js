// Starts ReDoc on the API's OpenAPI document (was django-ninja's inline script).
const element = document.getElementById("redoc-ui");
const options = JSON.parse(document.getElementById("redoc-settings").textContent);
Redoc.init(element.dataset.openapiUrl, options, element);
