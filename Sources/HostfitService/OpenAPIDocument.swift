/// The service's OpenAPI 3.0 description, served at /openapi.json. Written by hand next
/// to the routes it describes (`ServiceRoutes`); schemathesis checks the two agree.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.0.3",
      "info": {"title": "Hostfit placement service", "version": "0.8.0",
               "description": "A live inventory of hosts and VMs, star ratings and placements with the rules and validator of the hostfit CLI. Writes need the bearer token; reads too unless the server runs with --public-read."},
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
          "Host": {"type": "object", "required": ["id", "cpu_cores", "cpu_mhz", "memory_mb"], "properties": {
            "id": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/\\r\\n]+$"},
            "cluster": {"type": "string"}, "model": {"type": "string"},
            "cpu_cores": {"type": "integer", "minimum": 1, "maximum": 1000000000}, "cpu_mhz": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 1000000000},
            "memory_mb": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 1000000000},
            "disk_iops": {"type": "number", "minimum": 0, "maximum": 1000000000}, "net_mbps": {"type": "number", "minimum": 0, "maximum": 1000000000},
            "tags": {"type": "array", "items": {"type": "string"}}, "max_vms": {"type": "integer", "minimum": 0, "maximum": 1000000000},
            "state": {"type": "string", "enum": ["active", "maintenance", "failed"]},
            "cost": {"type": "number", "minimum": 0, "maximum": 1000000000}, "power_idle_w": {"type": "number", "minimum": 0, "maximum": 1000000000}, "power_max_w": {"type": "number", "minimum": 0, "maximum": 1000000000},
            "resources": {"type": "object", "description": "counted resources (res_NAME) by name", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1000000000}}}},
          "VM": {"type": "object", "required": ["id", "vcpus", "memory_mb"], "properties": {
            "id": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/\\r\\n]+$"},
            "vcpus": {"type": "integer", "minimum": 1, "maximum": 1000000000}, "memory_mb": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 1000000000},
            "cpu_mhz": {"type": "number", "minimum": 0, "maximum": 1000000000}, "memory_used_mb": {"type": "number", "minimum": 0, "maximum": 1000000000},
            "disk_iops": {"type": "number", "minimum": 0, "maximum": 1000000000}, "net_mbps": {"type": "number", "minimum": 0, "maximum": 1000000000},
            "cluster": {"type": "string"}, "requires": {"type": "array", "items": {"type": "string"}},
            "anti_affinity": {"type": "array", "items": {"type": "string"}}, "affinity": {"type": "array", "items": {"type": "string"}},
            "pinned": {"type": "boolean"}, "cpu_pct": {"type": "number", "minimum": 0, "maximum": 100}, "cost_center": {"type": "string"},
            "resources": {"type": "object", "description": "counted resources (res_NAME) by name", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1000000000}}}},
          "PlacedVM": {"allOf": [{"$ref": "#/components/schemas/VM"}, {"type": "object", "properties": {"host": {"type": "string", "nullable": true}}}]},
          "Rating": {"type": "object", "required": ["host", "stars", "score", "reason"], "properties": {
            "host": {"type": "string"}, "stars": {"type": "number"}, "score": {"type": "number"}, "reason": {"type": "string"}, "rule": {"type": "string"}}},
          "Placed": {"type": "object", "required": ["vm", "host", "stars", "reason"], "properties": {
            "vm": {"type": "string"}, "host": {"type": "string"}, "stars": {"type": "number"}, "reason": {"type": "string"}}},
          "Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "field": {"type": "string"}, "vm": {"type": "string"}, "rule": {"type": "string"}}},
          "Count": {"type": "object", "additionalProperties": true},
          "PlanJob": {"type": "object", "required": ["id", "state"], "properties": {
            "id": {"type": "string"}, "state": {"type": "string", "enum": ["running", "done", "failed"]}, "error": {"type": "string"},
            "progress": {"type": "object", "properties": {"phase": {"type": "string"}, "hosts": {"type": "integer"}, "bound": {"type": "integer"}, "elapsed_s": {"type": "number"}, "time_limit_s": {"type": "number"}}},
            "result": {"type": "object", "properties": {"hosts_used": {"type": "integer"}, "lower_bound": {"type": "integer"}, "status": {"type": "string"}, "gap": {"type": "number", "nullable": true},
              "migrations": {"type": "integer"}, "vms_unplaced": {"type": "integer"}, "headline": {"type": "string"}, "placements": {"type": "object", "additionalProperties": {"type": "string"}}}}}}
        },
        "responses": {
          "Error": {"description": "refused: the message names the field, the VM or the rule", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Done": {"description": "done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Count"}}}}
        },
        "parameters": {
          "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          "vm": {"name": "vm", "in": "path", "required": true, "schema": {"type": "string"}}
        }
      },
      "security": [{"bearer": []}],
      "paths": {
        "/healthz": {"get": {"summary": "Liveness, with the inventory's size", "security": [], "responses": {"200": {"description": "up", "content": {"application/json": {"schema": {"type": "object", "properties": {"hosts": {"type": "integer"}, "vms": {"type": "integer"}, "placed": {"type": "integer"}, "cpu": {"type": "string", "enum": ["used", "allocated", "undecided"], "description": "used: cpu_mhz or cpu_pct, else each vCPU a busy core; allocated: vCPUs against cores at vcpu_ratio; undecided: an empty store, settled by the first VMs loaded or placed"}, "vcpu_ratio": {"type": "number"}, "profiled": {"type": "integer", "description": "VMs with an hourly profile from traces"}, "buckets": {"type": "integer", "description": "hours a profile holds (24 or 168); 1 without profiles"}}}}}}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics: requests by route, VMs placed, refusals by rule, placement time", "responses": {"200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.0", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/hosts": {
          "get": {"summary": "Every host", "responses": {"200": {"description": "hosts", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Host"}}}}}, "401": {"$ref": "#/components/responses/Error"}}},
          "put": {"summary": "Add or replace many hosts at once: JSON records, or the file itself (hosts.csv / vms.csv, an RVTools CSV export or .xlsx workbook)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Host"}}}, "text/csv": {"schema": {"type": "string"}}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}},
                  "responses": {"200": {"$ref": "#/components/responses/Done"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}}}},
        "/hosts/{id}": {
          "parameters": [{"$ref": "#/components/parameters/id"}],
          "get": {"summary": "One host", "responses": {"200": {"description": "the host", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Host"}}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
          "put": {"summary": "Add or replace a host (refused if it would break a placement)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Host"}}}},
                  "responses": {"200": {"$ref": "#/components/responses/Done"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Remove a host that runs no VM", "responses": {"200": {"$ref": "#/components/responses/Done"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/vms": {
          "get": {"summary": "Every VM and its host", "responses": {"200": {"description": "VMs", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/PlacedVM"}}}}}, "401": {"$ref": "#/components/responses/Error"}}},
          "put": {"summary": "Add or replace many VMs (unplaced, or still fitting their host): JSON records, or the file itself (hosts.csv / vms.csv, an RVTools CSV export or .xlsx workbook)", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/VM"}}}, "text/csv": {"schema": {"type": "string"}}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}},
                  "responses": {"200": {"$ref": "#/components/responses/Done"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}}}},
        "/vms/{id}": {
          "parameters": [{"$ref": "#/components/parameters/id"}],
          "get": {"summary": "One VM and its host", "responses": {"200": {"description": "the VM", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlacedVM"}}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
          "put": {"summary": "Add or replace a VM", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VM"}}}},
                  "responses": {"200": {"$ref": "#/components/responses/Done"}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Remove a VM and its placement", "responses": {"200": {"$ref": "#/components/responses/Done"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/ratings": {"post": {"summary": "Every host's stars for one VM, as hostfit place rates them; changes nothing", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VM"}}}},
          "responses": {"200": {"description": "ratings, best first", "content": {"application/json": {"schema": {"type": "object", "properties": {"vm": {"type": "string"}, "ratings": {"type": "array", "items": {"$ref": "#/components/schemas/Rating"}}}}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}}},
        "/placements": {
          "get": {"summary": "Where every placed VM runs (vm: host)", "responses": {"200": {"description": "placements", "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {"type": "string"}}}}}, "401": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "Place VMs one after another, each seeing those before, all or none", "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "minLength": 1, "maxLength": 200}}],
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["vms"], "properties": {"vms": {"type": "array", "items": {"$ref": "#/components/schemas/VM"}}}}}}},
                   "responses": {"201": {"description": "placed", "content": {"application/json": {"schema": {"type": "object", "properties": {"placements": {"type": "array", "items": {"$ref": "#/components/schemas/Placed"}}}}}}},
                                 "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}},
        "/plans": {"post": {"summary": "Start a consolidation plan of the inventory as it stands, as a background job (one at a time); its placements are a proposal, not applied",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"time_limit_s": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 3600}, "solver": {"type": "string", "enum": ["auto", "ilp", "heuristic"]}}}}}},
          "responses": {"202": {"description": "started", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanJob"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}}},
        "/plans/{id}": {"parameters": [{"$ref": "#/components/parameters/id"}],
          "get": {"summary": "A plan's progress, then its result (the newest 50 plans are kept across restarts; one a restart cut short is failed)", "responses": {"200": {"description": "the job", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanJob"}}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/placements/{vm}": {"parameters": [{"$ref": "#/components/parameters/vm"}],
          "delete": {"summary": "Release a VM's placement (the VM stays)", "responses": {"200": {"$ref": "#/components/responses/Done"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}}
      }
    }
    """#
}
