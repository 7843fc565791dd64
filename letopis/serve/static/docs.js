// The API docs page: Swagger UI from the vendored bundle, reading the app's own OpenAPI schema.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.spec, dom_id: "#swagger-ui" });
});
