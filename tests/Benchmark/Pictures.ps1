<#
.SYNOPSIS
    Times Export-DetectionImage: pictures per second for 640 x 480 JPEG images, and for blank canvases.
.DESCRIPTION
    Run through the build script (dotnet pwsh ./build.ps1 -Task Benchmark), or alone after a build:
        dotnet pwsh tests/Benchmark/Pictures.ps1 -ModulePath out/BoxFusion
    Generates once (cached in -CacheFolder/pictures): -Images JPEG files of 640 x 480 (random shapes, quality 90),
    a ground truth with 7 boxes per image, and 3 models x 20 detections per image. Then times, median of -Runs runs,
    Export-DetectionImage of every image with the ground truth, labels and legend (63 boxes a picture): on the
    JPEG files (read, decode, draw, PNG encode, atomic write) and on blank canvases; with all cores.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(10, 100000)] [int] $Images = 500,
    [ValidateRange(1, 100)] [int] $Runs = 3,
    [string] $CacheFolder = (Join-Path $PSScriptRoot '../../out/bench')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'
$inv = [System.Globalization.CultureInfo]::InvariantCulture
Import-Module ($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ModulePath)) -Force
$root = Join-Path ($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($CacheFolder)) "pictures-$Images"
$imageFolder = Join-Path $root 'images'
$gtPath = Join-Path $root 'gt.json'
$output = Join-Path $root 'output'
$null = New-Item -ItemType Directory $root -Force

# The graphics libraries load with the first picture; SkiaSharp then also writes the JPEG files.
$warm = New-Detection -ImageId 1 -CategoryId 1 -Score 1 -X 1 -Y 1 -Width 5 -Height 5
$null = $warm | Export-DetectionImage -Path (Join-Path $root 'warm') -ImageInfo ([pscustomobject]@{ id = 1; width = 20; height = 20 }) -Force

$random = [System.Random]::new(7)
function Get-Box { $w = $random.Next(20, 300); $h = $random.Next(20, 240); @($random.Next(0, 640 - $w), $random.Next(0, 480 - $h), $w, $h) }

if (-not (Test-Path $gtPath)) {
    Write-Host "Generating $Images JPEG images of 640 x 480 in $imageFolder ..." -ForegroundColor Cyan
    $null = New-Item -ItemType Directory $imageFolder -Force
    $paint = [SkiaSharp.SKPaint]::new()
    $gtImages = [System.Collections.Generic.List[string]]::new()
    $annotations = [System.Collections.Generic.List[string]]::new()
    $annId = 1
    for ($i = 1; $i -le $Images; $i++) {
        $bitmap = [SkiaSharp.SKBitmap]::new(640, 480)
        $canvas = [SkiaSharp.SKCanvas]::new($bitmap)
        $canvas.Clear([SkiaSharp.SKColor]::new([byte]$random.Next(256), [byte]$random.Next(256), [byte]$random.Next(256)))
        for ($s = 0; $s -lt 40; $s++) {
            $paint.Color = [SkiaSharp.SKColor]::new([byte]$random.Next(256), [byte]$random.Next(256), [byte]$random.Next(256))
            $b = Get-Box
            $canvas.DrawOval([SkiaSharp.SKRect]::new($b[0], $b[1], $b[0] + $b[2], $b[1] + $b[3]), $paint)
        }
        $canvas.Dispose()
        $data = $bitmap.Encode([SkiaSharp.SKEncodedImageFormat]::Jpeg, 90)
        [System.IO.File]::WriteAllBytes((Join-Path $imageFolder "$i.jpg"), $data.ToArray())
        $data.Dispose(); $bitmap.Dispose()
        $gtImages.Add("{`"id`":$i,`"file_name`":`"$i.jpg`",`"width`":640,`"height`":480}")
        for ($a = 0; $a -lt 7; $a++) {
            $b = Get-Box
            $annotations.Add("{`"id`":$annId,`"image_id`":$i,`"category_id`":$($random.Next(1, 11)),`"bbox`":[$($b -join ',')],`"area`":$($b[2] * $b[3]),`"iscrowd`":0}")
            $annId++
        }
    }
    $categories = (1..10 | ForEach-Object { "{`"id`":$_,`"name`":`"class$_`"}" }) -join ','
    Set-Content $gtPath "{`"images`":[$($gtImages -join ',')],`"annotations`":[$($annotations -join ',')],`"categories`":[$categories]}"
}

$detections = [System.Collections.Generic.List[BoxFusion.Detection]]::new()
foreach ($model in 'yolox', 'cascade', 'detr') {
    for ($i = 1; $i -le $Images; $i++) {
        for ($d = 0; $d -lt 20; $d++) {
            $b = Get-Box
            $detections.Add([BoxFusion.Detection]::new([long]$i, $random.Next(1, 11), $random.NextDouble(), $b[0], $b[1], $b[2], $b[3], $model))
        }
    }
}

# Wall time, and this process's CPU time (all threads): on a shared machine the CPU time still says what the work costs.
function Measure-Pictures([hashtable] $Extra) {
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $samples = for ($r = 0; $r -lt $Runs; $r++) {
        if (Test-Path $output) { Remove-Item $output -Recurse -Force }
        [GC]::Collect()
        $process.Refresh()
        $cpu = $process.TotalProcessorTime
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $files = $detections | Export-DetectionImage -Path $output -GroundTruth $gtPath -PassThru @Extra
        $clock.Stop()
        $process.Refresh()
        if (@($files).Count -ne $Images) { throw "Expected $Images pictures, got $(@($files).Count)." }
        [pscustomobject]@{ Wall = $clock.Elapsed.TotalSeconds; Cpu = ($process.TotalProcessorTime - $cpu).TotalSeconds }
    }
    $samples | Sort-Object Wall | Select-Object -Index ([int][math]::Floor($Runs / 2))
}

$cores = [Environment]::ProcessorCount
$rows = foreach ($case in @(
        @{ Stage = "$Images JPEG images, $cores threads"; Extra = @{ ImageFolder = $imageFolder } }
        @{ Stage = "$Images JPEG images, 1 thread"; Extra = @{ ImageFolder = $imageFolder; ThrottleLimit = 1 } }
        @{ Stage = "$Images blank canvases, $cores threads"; Extra = @{} })) {
    $m = Measure-Pictures $case.Extra
    $kb = (Get-ChildItem $output -Filter *.png | Measure-Object Length -Average).Average / 1KB
    [pscustomobject]@{
        Stage              = $case.Stage
        'Wall s'           = $m.Wall.ToString('0.00', $inv)
        'Images/s'         = ($Images / $m.Wall).ToString('0', $inv)
        'CPU s'            = $m.Cpu.ToString('0.00', $inv)
        'Images per CPU s' = ($Images / $m.Cpu).ToString('0', $inv)
        'PNG KB'           = $kb.ToString('0', $inv)
        "Images/s on $cores cores by CPU" = ($Images / ($m.Cpu / $cores)).ToString('0', $inv)
    }
}
$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { 'n/a' }
$rows | Format-Table -AutoSize | Out-String -Width 250 | Out-Host
Write-Host ("Export-DetectionImage, 640 x 480, 63 boxes a picture (7 ground truth, 3 x 20 detections) with labels and legend; load average {0} on {1} cores." -f $load, $cores)
