# Running one case: the pipeline under test inside a runspace of its own, on a background thread with a time limit
# (the thread and the limit are BoxFusion.Fuzz.Runner's, in tests/BoxFusion.Fuzz/Runner.cs).

# Run inside the case runspace: the pipeline under test, with every stream captured.
$script:FuzzPipeline = @'
function Invoke-FuzzPipeline {
    param([string] $Path, [string] $Out, [string] $Method, [string] $ImageInfo, [bool] $ViaPath, [bool] $Stop)
    $Error.Clear()
    $ea = if ($Stop) { 'Stop' } else { 'SilentlyContinue' }
    $imported = $null; $fused = $null; $importErrors = $null; $mergeErrors = $null; $exportErrors = $null; $caught = $null
    $merge = @{ Method = $Method; ErrorAction = $ea; ErrorVariable = 'mergeErrors'; WarningAction = 'SilentlyContinue'; OutVariable = 'fused' }
    if ($ImageInfo) { $merge.ImageInfo = $ImageInfo }
    $export = @{ LiteralPath = $Out; Force = $true; ErrorAction = $ea; ErrorVariable = 'exportErrors'; WarningAction = 'SilentlyContinue' }
    try {
        if ($ViaPath) {
            Merge-Detection -LiteralPath $Path @merge | Export-Submission @export
        }
        else {
            Import-Detection -LiteralPath $Path -ErrorAction $ea -ErrorVariable importErrors -WarningAction SilentlyContinue -OutVariable imported |
                Merge-Detection @merge | Export-Submission @export
        }
    }
    catch { $caught = $_ }
    [pscustomobject]@{
        Imported     = $imported
        Fused        = $fused
        ImportErrors = @($importErrors)
        MergeErrors  = @($mergeErrors)
        ExportErrors = @($exportErrors)
        Caught       = $caught
    }
}
'@

function New-FuzzRunspace([string] $ModulePath) {
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $manifest = Join-Path (Resolve-Path $ModulePath).Path 'BoxFusion.psd1'
    $iss.ImportPSModule([string[]] @($manifest))
    $rs = [runspacefactory]::CreateRunspace($iss)
    $rs.ThreadOptions = 'UseCurrentThread' # the thread of BoxFusion.Fuzz.Runner, a background one
    $rs.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $rs
    $null = $ps.AddScript($script:FuzzPipeline + "`n" + $script:FuzzSurfacePipeline).AddStatement().AddScript('Get-Command Import-Detection, Merge-Detection, Export-Submission -ErrorAction Stop')
    $ran = [BoxFusion.Fuzz.Runner]::Invoke($ps, 60000)
    $commands = if ($ran.Output) { $ran.Output } else { @() }
    $ps.Dispose()
    if ($commands.Count -ne 3) { throw "The case runspace could not import '$manifest'." }
    $rs
}

# One pipeline run with a time limit (Invoke-FuzzPipeline, or a surface case's function). Returns the run's result, or 'hang'.
function Invoke-FuzzRun($State, [hashtable] $Arguments, [string] $Command = 'Invoke-FuzzPipeline') {
    $ps = [powershell]::Create()
    $ps.Runspace = $State.Runspace
    $null = $ps.AddCommand($Command).AddParameters($Arguments)
    $ran = [BoxFusion.Fuzz.Runner]::Invoke($ps, [int]($State.TimeoutSeconds * 1000))
    if ($ran.TimedOut) {
        # Leave the stuck thread behind with its runspace; the next case gets a fresh one.
        $State.Runspace = New-FuzzRunspace $State.ModulePath
        return 'hang'
    }
    $ps.Dispose()
    if ($ran.Error) { return [pscustomobject]@{ Broken = "the case runner failed: $($ran.Error.GetType().FullName): $($ran.Error.Message)" } }
    if ($ran.Output.Count -ne 1) { return [pscustomobject]@{ Broken = "the case runner returned $($ran.Output.Count) objects" } }
    $ran.Output[0]
}
