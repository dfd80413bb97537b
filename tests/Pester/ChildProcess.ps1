# Runs cases that could hang (a read that blocks on a named pipe) or that need process-wide limits (a file-size
# limit) in a child pwsh, so the test run itself never hangs: each case gets its own runspace and time limit
# inside the child, and the child as a whole is killed if it outlives its limit.

# How to start the pwsh running the tests (Get-PwshCommandLine) with these arguments, its output captured. -FileSizeLimitKB runs it under `ulimit -f`
# (Unix), so writing past that size fails with EFBIG.
function New-PwshStartInfo([string[]] $Arguments, [int] $FileSizeLimitKB = 0) {
    $pwsh = @(Get-PwshCommandLine)
    $allArguments = @($pwsh | Select-Object -Skip 1) + $Arguments
    if ($FileSizeLimitKB -gt 0) {
        # An ignored SIGXFSZ stays ignored across exec, so the write fails (EFBIG) instead of killing the process;
        # the runtime's double-mapped code memory is a file too, so it is turned off for the limit to leave it alone.
        $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in @('-c', "trap '' XFSZ; ulimit -f $FileSizeLimitKB; exec ""`$@""", 'sh', $pwsh[0]) + $allArguments) { $start.ArgumentList.Add($a) }
        $start.Environment['DOTNET_EnableWriteXorExecute'] = '0'
    }
    else {
        $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($a in $allArguments) { $start.ArgumentList.Add($a) }
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start
}

# Runs a process to its end. One that outlives -TimeoutSeconds is killed with its children, and that is an error
# saying -What did not finish. Returns its exit code and all it wrote (standard output, then standard error).
function Invoke-ChildProcess([System.Diagnostics.ProcessStartInfo] $Start, [int] $TimeoutSeconds, [string] $What = 'The child pwsh') {
    $process = [System.Diagnostics.Process]::Start($Start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        throw "$What did not finish in $TimeoutSeconds s."
    }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
}

# Cases: hashtables with Name and Script (a script block's text; $args[0] is -Data). Returns one object per case:
# Name, Hung, ErrorIds (FullyQualifiedErrorIds of every error, terminating or not), Messages, Output (strings).
# -FileSizeLimitKB: see New-PwshStartInfo.
function Invoke-IsolatedCase {
    param(
        [Parameter(Mandatory)] [hashtable[]] $Cases,
        [object] $Data,
        [int] $CaseTimeoutSeconds = 20,
        [int] $FileSizeLimitKB = 0
    )
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('boxfusion-child-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -ItemType Directory $folder
    try {
        $casesPath = Join-Path $folder 'cases.json'
        $output = Join-Path $folder 'results.json'
        @{ Module = $ModulePath; Cases = $Cases; Data = $Data; Timeout = $CaseTimeoutSeconds } | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $casesPath
        $runner = Join-Path $folder 'runner.ps1'
        Set-Content -LiteralPath $runner -Value @'
param($InputPath, $OutputPath)
$spec = Get-Content -LiteralPath $InputPath -Raw | ConvertFrom-Json
$iss = [initialsessionstate]::CreateDefault2()
$iss.ImportPSModule($spec.Module)
$results = foreach ($case in $spec.Cases) {
    $ps = [powershell]::Create($iss)
    $null = $ps.AddScript($case.Script).AddArgument($spec.Data)
    $outputs = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $outputs)
    $hung = -not $handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($spec.Timeout))
    $errors = @()
    if (-not $hung) {
        try { $null = $ps.EndInvoke($handle) } catch { $e = $_.Exception; while ($e -and -not ($e -is [System.Management.Automation.IContainsErrorRecord])) { $e = $e.InnerException }; $errors += if ($e) { $e.ErrorRecord } else { $_ } }
        $errors = @($ps.Streams.Error) + $errors
    }
    [pscustomobject]@{
        Name     = $case.Name
        Hung     = $hung
        ErrorIds = @($errors | ForEach-Object FullyQualifiedErrorId)
        Messages = @($errors | ForEach-Object { "$_" })
        # (enumerating the output of a pipeline still running would wait for its end)
        Warnings = if ($hung) { @() } else { @($ps.Streams.Warning | ForEach-Object { "$_" }) }
        Output   = if ($hung) { @() } else { @($outputs | ForEach-Object { "$_" }) }
    }
}
ConvertTo-Json -InputObject @($results) -Depth 4 | Set-Content -LiteralPath $OutputPath
# A hung case's thread would keep the process alive, and a normal exit waits for its runspace: end it at once.
if ($results | Where-Object Hung) { [System.Diagnostics.Process]::GetCurrentProcess().Kill() }
'@
        $start = New-PwshStartInfo @('-NoProfile', '-NonInteractive', '-File', $runner, $casesPath, $output) -FileSizeLimitKB $FileSizeLimitKB
        $run = Invoke-ChildProcess $start -TimeoutSeconds ($Cases.Count * $CaseTimeoutSeconds + 60)
        if (-not (Test-Path -LiteralPath $output)) { throw "The child pwsh wrote no results (exit code $($run.ExitCode)):`n$($run.Output)" }
        Get-Content -LiteralPath $output -Raw | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
    }
}
