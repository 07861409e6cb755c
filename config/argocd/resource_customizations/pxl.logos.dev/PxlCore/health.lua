-- Argo CD health of a PxlCore: Healthy once the operator reports Ready for the current generation,
-- Progressing while it has not caught up or the pool is rolling, Suspended when scaled to zero,
-- Degraded with the condition's message.
local hs = {}

local function findCondition(conditions, conditionType)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

-- A condition written for an older generation says nothing about the current spec.
local function isCurrent(condition, generation)
  return condition.observedGeneration == nil or generation == nil or condition.observedGeneration >= generation
end

local function describe(condition, fallback)
  if condition ~= nil and condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return fallback
end

local generation = obj.metadata and obj.metadata.generation
local status = obj.status

if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

if status.observedGeneration == nil or (generation ~= nil and status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = findCondition(status.conditions, "Ready")
local progressing = findCondition(status.conditions, "Progressing")
local degraded = findCondition(status.conditions, "Degraded")
local replicas = tostring(status.readyReplicas or 0) .. "/" .. tostring(status.replicas or 0) .. " provers ready"

if degraded ~= nil and degraded.status == "True" and isCurrent(degraded, generation) then
  hs.status = "Degraded"
  hs.message = describe(degraded, "Degraded: " .. tostring(degraded.reason))
  return hs
end

if progressing ~= nil and progressing.status == "True" and isCurrent(progressing, generation) then
  hs.status = "Progressing"
  hs.message = describe(progressing, "Rolling out: " .. replicas)
  return hs
end

if ready ~= nil and ready.status == "True" and isCurrent(ready, generation) then
  hs.status = "Healthy"
  hs.message = describe(ready, replicas)
  return hs
end

-- A pool scaled to zero on purpose is idle, not broken.
local spec = obj.spec or {}
local autoscaling = spec.autoscaling or {}
if spec.replicas == 0 and autoscaling.enabled ~= true then
  hs.status = "Suspended"
  hs.message = "Scaled to 0 replicas"
  return hs
end

if ready ~= nil and ready.status == "False" and isCurrent(ready, generation) then
  hs.status = "Degraded"
  hs.message = describe(ready, "Not ready: " .. replicas)
  return hs
end

hs.status = "Progressing"
hs.message = "Waiting for the Ready condition: " .. replicas
return hs
