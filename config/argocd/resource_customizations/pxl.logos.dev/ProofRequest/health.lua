-- Argo CD health of a ProofRequest: Healthy when Proved for the current generation, Progressing while it
-- waits, runs, or speaks of an older generation, Degraded with the message of any other verdict.
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

local failed = { Refuted = true, Failed = true, Rejected = true, Error = true }
local waiting = { Pending = true, Running = true }

local generation = obj.metadata and obj.metadata.generation
local status = obj.status

if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to accept the request"
  return hs
end

if status.observedGeneration == nil or (generation ~= nil and status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Verifying generation " .. tostring(generation)
  return hs
end

local succeeded = findCondition(status.conditions, "Succeeded")
local detail = ""
if succeeded ~= nil and succeeded.message ~= nil and succeeded.message ~= "" then
  detail = ": " .. succeeded.message
end
local reason = status.phase
if succeeded ~= nil and succeeded.reason ~= nil and succeeded.reason ~= status.phase then
  reason = status.phase .. " (" .. succeeded.reason .. ")"
end

if status.phase == "Proved" then
  hs.status = "Healthy"
  hs.message = reason .. detail
elseif waiting[status.phase] then
  hs.status = "Progressing"
  hs.message = reason .. detail
elseif failed[status.phase] then
  hs.status = "Degraded"
  hs.message = reason .. detail
else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(status.phase)
end
return hs
