# What the benchmark scripts share: resolving paths, loading the module and the compiled tools, the cached
# synthetic COCO ensemble, child pwsh processes and table formatting. Dot-sourced by Benchmark.ps1,
# Evaluation.ps1, Masks.ps1 and Streaming.ps1.

$script:inv = [System.Globalization.CultureInfo]::InvariantCulture

function Resolve-BenchmarkPath([string] $Path) {
    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

# The module first, then the tools (tests/BoxFusion.Synthetic, tests/BoxFusion.Benchmarks, built to out/tools by
# build.ps1), so the tools bind to the engine the module loaded.
function Import-BenchmarkTools([string] $ModulePath, [string] $ToolsPath, [string[]] $Assemblies) {
    Import-Module $ModulePath -Force -Global
    foreach ($dll in $Assemblies) {
        $path = Join-Path $ToolsPath $dll
        if (-not (Test-Path $path)) { throw "$path is missing: run the benchmark through build.ps1 -Task Benchmark, which builds it." }
        # The benchmarks assembly also holds the probe cmdlets, so it is imported as a module.
        if ($dll -eq 'BoxFusion.Benchmarks.dll') { Import-Module $path -Force -Global } else { Add-Type -Path $path }
    }
}

function Format-Num([double] $value, [string] $format) { $value.ToString($format, $script:inv) }

function Get-Median([double[]] $values) {
    $sorted = [double[]]@($values | Sort-Object)
    $n = $sorted.Length
    if ($n % 2 -eq 1) { return [double]$sorted[($n - 1) / 2] }
    return ([double]$sorted[$n / 2 - 1] + [double]$sorted[$n / 2]) / 2
}

function ConvertTo-Literal([string] $text) { "'" + $text.Replace("'", "''") + "'" }

# The PowerShell running this script, for child processes (dotnet + pwsh.dll when run as a dotnet tool).
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$' -and (Test-Path $dll)) { return @($exe, $dll) }
    return @($exe)
}

# Runs $Body in a fresh pwsh that has imported the module and times it there; returns its wall and CPU seconds,
# peak working set and $extra (which the body may set).
function Invoke-Fresh([string] $ModulePath, [string] $Body) {
    $command = @(Get-PwshCommand)
    $script = "`$ProgressPreference = 'SilentlyContinue'; Import-Module $(ConvertTo-Literal $ModulePath); `$extra = `$null; " +
        "`$p = [Diagnostics.Process]::GetCurrentProcess(); `$cpu = `$p.TotalProcessorTime; `$clock = [Diagnostics.Stopwatch]::StartNew(); $Body; " +
        "`$s = `$clock.Elapsed.TotalSeconds; `$p.Refresh(); " +
        "@{ Seconds = `$s; Cpu = (`$p.TotalProcessorTime - `$cpu).TotalSeconds; PeakMB = [math]::Round(`$p.PeakWorkingSet64 / 1MB); Extra = `$extra } | ConvertTo-Json -Compress"
    $json = & $command[0] @($command | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "benchmark child failed: $json" }
    $json | Select-Object -Last 1 | ConvertFrom-Json
}

# The synthetic COCO-sized ensemble (5 models, 80 classes, up to 100 detections per image and model), generated once
# into $CacheFolder and reused while its stamp matches the files. Generated tells whether this call wrote it.
function Get-CocoEnsemble([string] $CacheFolder, [int] $Images) {
    $options = [BoxFusion.Synthetic.SyntheticOptions]@{ Images = $Images; Models = 5; Classes = 80; Seed = 1; MaxDetectionsPerImage = 100 }
    $key = 'coco-i{0}-m{1}-c{2}-s{3}-d{4}' -f $options.Images, $options.Models, $options.Classes, $options.Seed, $options.MaxDetectionsPerImage
    $dir = Join-Path $CacheFolder $key
    $stampPath = Join-Path $dir 'ensemble.stamp.json'
    if (Test-Path $stampPath) {
        $stamp = Get-Content $stampPath -Raw | ConvertFrom-Json
        $changed = @($stamp.Files | Where-Object { $path = Join-Path $dir $_.Name; -not (Test-Path $path) -or (Get-Item $path).Length -ne $_.Length })
        if ($changed.Count -eq 0) {
            Write-Host "Data: $dir (cached; $($stamp.Detections) detections)"
            return [pscustomobject]@{
                Folder = $dir; Images = $Images; Detections = [long]$stamp.Detections; GroundTruth = Join-Path $dir 'gt.json'
                Files = [string[]]@($stamp.ModelFiles | ForEach-Object { Join-Path $dir $_ })
                Models = [string[]]@($stamp.ModelFiles | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) })
                Bytes = [long](($stamp.Files | ForEach-Object { [long]$_.Length } | Measure-Object -Sum).Sum); Generated = $false
            }
        }
        Remove-Item $stampPath
    }
    Write-Host "Generating $Images images x 5 models into $dir ..." -ForegroundColor Cyan
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $written = [BoxFusion.Synthetic.EnsembleGenerator]::Write($dir, $options)
    $all = @($written.GroundTruthPath) + @($written.ModelPaths)
    $bytes = [long](($all | ForEach-Object { (Get-Item $_).Length } | Measure-Object -Sum).Sum)
    Write-Host ('  {0} detections, {1} MB in {2} s' -f $written.DetectionCount, (Format-Num ($bytes / 1MB) '0'), (Format-Num $clock.Elapsed.TotalSeconds '0.0'))
    [ordered]@{
        Options    = [ordered]@{ Images = $options.Images; Models = $options.Models; Classes = $options.Classes; Seed = $options.Seed; MaxDetectionsPerImage = $options.MaxDetectionsPerImage }
        Detections = $written.DetectionCount
        ModelFiles = @($written.ModelPaths | ForEach-Object { Split-Path $_ -Leaf })
        Files      = @($all | ForEach-Object { [ordered]@{ Name = (Split-Path $_ -Leaf); Length = (Get-Item $_).Length } })
    } | ConvertTo-Json -Depth 4 | Set-Content $stampPath
    [pscustomobject]@{
        Folder = $dir; Images = $Images; Detections = [long]$written.DetectionCount; GroundTruth = $written.GroundTruthPath
        Files = [string[]]@($written.ModelPaths); Models = [string[]]@($written.ModelNames); Bytes = $bytes; Generated = $true
    }
}

function ConvertTo-MarkdownTable($items) {
    $props = @($items[0].PSObject.Properties.Name)
    $lines = @(('| ' + (($props | ForEach-Object { $_ -replace '\|', '\|' }) -join ' | ') + ' |'), ('|' + (($props | ForEach-Object { '---' }) -join '|') + '|'))
    foreach ($item in $items) { $lines += '| ' + (($props | ForEach-Object { "$($item.$_)" -replace '\|', '\|' }) -join ' | ') + ' |' }
    $lines -join "`n"
}
