# The graphics libraries as installed: loaded only by the graphics cmdlets, native code from the module's own folder
# wherever the module is, and a clear error (with nothing else broken) where the native library cannot load.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sample = Join-Path $DataRoot 'sample'
    # Runs a script in a new pwsh and returns its output lines.
    function Invoke-Child([string] $Script) {
        $pwsh = @(Get-PwshCommandLine)
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
    }
    $graphicsAssemblies = "[AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { `$_.GetName().Name } | Where-Object { `$_ -match '^(SkiaSharp|BoxFusion\.Graphics|ScottPlot|HarfBuzzSharp)' } | Sort-Object"
    $nativeModules = "[System.Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -Match 'SkiaSharp' | ForEach-Object { 'native: ' + `$_.FileName }"
    $installed = Join-Path $TestDrive 'elsewhere/Modules/BoxFusion'
    $null = New-Item -ItemType Directory (Split-Path $installed)
    Copy-Item $ModulePath $installed -Recurse
}

Describe 'Graphics packaging' {
    It 'the other cmdlets, help and command discovery load no graphics assembly' {
        $lines = Invoke-Child @"
Import-Module '$ModulePath'
Set-Location '$sample'
`$d = Import-Detection yolox.json, detr.json
`$null = `$d | Merge-Detection -ImageInfo gt.json | Measure-Detection gt.json
`$null = Compare-Detection gt.json -Path yolox.json
`$null = Get-Help Export-DetectionImage -Full | Out-String
`$null = Get-Command -Module BoxFusion -Syntax
`$null = Get-Command Export-PrecisionRecallChart | Select-Object -ExpandProperty Parameters
'loaded: ' + ((& { $graphicsAssemblies }) -join ',')
"@
        $lines | Should -Contain 'loaded: '
    }

    It 'draws from a copy installed elsewhere, with the native library from that copy' {
        $out = Join-Path $TestDrive 'drawn'
        $lines = Invoke-Child @"
Import-Module '$installed'
`$files = Import-Detection '$sample/yolox.json' | Export-DetectionImage -Path '$out' -ImageInfo '$sample/gt.json' -First 2 -PassThru
'files: ' + `$files.Count
`$null = Measure-Detection '$sample/gt.json' -Path '$sample/yolox.json' | Export-PrecisionRecallChart '$out/pr.png'
'chart: ' + (Test-Path '$out/pr.png')
$nativeModules
'loaded: ' + ((& { $graphicsAssemblies }) -join ',')
"@
        $lines | Should -Contain 'files: 2'
        $lines | Should -Contain 'chart: True'
        $native = @($lines | Where-Object { $_ -like 'native: *' })
        $native.Count | Should -BeGreaterThan 0
        foreach ($n in $native) { $n.Substring(8) | Should -BeLike "$installed*" }
        ($lines | Where-Object { $_ -like 'loaded: *' }) | Should -BeLike '*BoxFusion.Graphics*SkiaSharp*'
    }

    It 'without its native library: GraphicsUnavailable, and the other cmdlets still work' {
        $broken = Join-Path $TestDrive 'broken/BoxFusion'
        $null = New-Item -ItemType Directory $broken
        Get-ChildItem $installed | Where-Object Name -NE 'runtimes' | Copy-Item -Destination $broken -Recurse
        $lines = Invoke-Child @"
Import-Module '$broken'
Set-Location '$sample'
`$d = Import-Detection yolox.json
try { `$d | Export-DetectionImage -Path '$TestDrive/nothing' -ImageInfo gt.json -ErrorAction Stop } catch { 'image: ' + `$_.FullyQualifiedErrorId + ' | ' + `$_.CategoryInfo.Category + ' | ' + `$_.Exception.Message }
try { Measure-Detection gt.json -Path yolox.json | Export-PrecisionRecallChart '$TestDrive/nothing.png' -ErrorAction Stop } catch { 'chart: ' + `$_.FullyQualifiedErrorId }
'merged: ' + @(`$d | Merge-Detection -ImageInfo gt.json).Count
'measured: ' + (`$d | Measure-Detection gt.json).AP
"@
        $image = $lines | Where-Object { $_ -like 'image: *' }
        $image | Should -BeLike 'image: GraphicsUnavailable,BoxFusion.Commands.ExportDetectionImageCommand | NotInstalled | *native library*runtimes*'
        $lines | Should -Contain 'chart: GraphicsUnavailable,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        ($lines | Where-Object { $_ -like 'merged: *' }) | Should -Not -Be 'merged: 0'
        ($lines | Where-Object { $_ -like 'measured: *' }) | Should -BeLike 'measured: 0.3*'
        Test-Path (Join-Path $TestDrive 'nothing') | Should -BeFalse
    }
}
