#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks the BoxFusion module.
.DESCRIPTION
    Build      compiles the module into out/BoxFusion (psd1, dlls, native graphics libraries, format, types and help files, licence, notices).
    Package    builds, then makes the PowerShell Gallery package out/repository/BoxFusion.<version>.nupkg
               (out/repository is a local PSResourceGet repository: register it to install from it).
    Test       packages, runs the xunit engine tests, builds the test tools into out/tools (the synthetic generator,
               the benchmark's compiled stages) and the fuzz test library (out/fuzz), then Pester in a child pwsh that
               imports out/BoxFusion.
    Demo       builds and runs the main job on the sample data in tests/data/sample (and redraws the README's pictures in docs/).
    Benchmark  builds the module and out/tools, times the stages on a COCO-sized synthetic ensemble (and masks on a
               segm one, and pictures), then Merge-Detection -Path streaming against in memory at 5000 and 20000 images
               (about 1.2 GB of data). The engine stages under BenchmarkDotNet:
               dotnet run -c Release --project tests/BoxFusion.Benchmarks.Runner -- --filter '*'.
    Fuzz       builds (with the fuzz test library, into out/fuzz) and runs the long fuzz test of bad input.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Benchmark', 'Fuzz')]
    [string] $Task = 'Build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Benchmark: images in the main set, and whether to run the scaling series too.
    [int] $Images = 5000,
    [switch] $Scaling,
    # Fuzz: number of mutated files.
    [int] $FuzzCases = 20000
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleDir = Join-Path $out 'BoxFusion'
$toolsDir = Join-Path $out 'tools'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
# The Test task is what CI runs: there a compiler or analyzer warning fails the build (Directory.Build.props).
$msbuildProperties = @(if ($Task -eq 'Test') { '-p:ContinuousIntegrationBuild=true' })

function Invoke-Native([string] $what, [scriptblock] $command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit code $LASTEXITCODE)." }
}

# The pwsh running this script, so child processes use the same PowerShell.
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$' -and (Test-Path $dll)) { return @($exe, $dll) }
    return @($exe)
}

# SkiaSharp's (and HarfBuzzSharp's) native libraries, as runtimes/<rid>/native/* in the module folder, where
# BoxFusion.Graphics loads them from (a library project's publish does not copy them). Found through the restore's
# project.assets.json, so the versions are the ones the csproj names. Debug symbols (.pdb, ~100 MB each) are left out.
$nativeRuntimes = 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx', 'win-x64', 'win-arm64'
function Copy-NativeLibrary {
    $assets = Get-Content (Join-Path $root 'src/BoxFusion.Graphics/obj/project.assets.json') -Raw | ConvertFrom-Json
    $packageRoot = @($assets.packageFolders.PSObject.Properties.Name)[0]
    $copied = 0
    foreach ($library in $assets.libraries.PSObject.Properties) {
        if ($library.Value.type -ne 'package') { continue }
        foreach ($file in $library.Value.files) {
            if ($file -notmatch '^runtimes/([^/]+)/native/[^/]+$' -or $Matches[1] -notin $nativeRuntimes -or $file -like '*.pdb') { continue }
            $destination = Join-Path $moduleDir $file
            $null = New-Item -ItemType Directory -Force (Split-Path $destination)
            Copy-Item (Join-Path $packageRoot (Join-Path $library.Value.path $file)) $destination
            $copied++
        }
    }
    if ($copied -eq 0) { throw 'No native graphics library found in the restored packages.' }
}

function Invoke-Build {
    Write-Host "Building BoxFusion ($Configuration)..." -ForegroundColor Cyan
    $publish = Join-Path $out 'publish'
    Invoke-Native 'dotnet publish' { dotnet publish (Join-Path $root 'src/BoxFusion/BoxFusion.csproj') -c $Configuration -o $publish --nologo -v quiet @msbuildProperties }
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    $null = New-Item -ItemType Directory $moduleDir
    Get-ChildItem $publish -Filter *.dll | Copy-Item -Destination $moduleDir
    Copy-NativeLibrary
    Copy-Item (Join-Path $root 'BoxFusion.psd1') $moduleDir
    Get-ChildItem (Join-Path $root 'src/BoxFusion') -Filter *.ps1xml | Copy-Item -Destination $moduleDir
    # The documents a gallery package carries (the nupkg holds the module folder as it is).
    foreach ($document in 'LICENSE', 'THIRD-PARTY-NOTICES.md', 'README.md', 'CHANGELOG.md') { Copy-Item (Join-Path $root $document) $moduleDir }
    $help = Join-Path $root 'src/BoxFusion/en-US'
    if (Test-Path $help) { Copy-Item $help -Destination $moduleDir -Recurse }
    # Cmdlet help: MAML from src/BoxFusion/help/*.help.psd1, checked against the built cmdlets (in a child pwsh, which loads the dll).
    $maml = Join-Path $moduleDir 'en-US/BoxFusion.dll-Help.xml'
    $pwsh = Get-PwshCommand
    Invoke-Native 'Help generation' { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'src/BoxFusion/help/New-MamlHelp.ps1') -SourceFolder (Join-Path $root 'src/BoxFusion/help') -OutputPath $maml -ModulePath $moduleDir }
    Write-Host "Module ready: $moduleDir" -ForegroundColor Green
}

# Test code the scripts load into pwsh beside the module, never shipped with it: the synthetic ensemble generator
# (tests/BoxFusion.Synthetic) and the benchmark's compiled stages (tests/BoxFusion.Benchmarks), built to out/tools
# through the BenchmarkDotNet runner that references both.
function Invoke-ToolsBuild {
    Write-Host "Building the test tools into $toolsDir ($Configuration)..." -ForegroundColor Cyan
    Invoke-Native 'dotnet build (tools)' { dotnet build (Join-Path $root 'tests/BoxFusion.Benchmarks.Runner/BoxFusion.Benchmarks.Runner.csproj') -c $Configuration -o $toolsDir --nologo -v quiet @msbuildProperties }
}

# The .nupkg the PowerShell Gallery takes, made by PSResourceGet (part of PowerShell 7.4+) from out/BoxFusion:
# Compress-PSResource is Publish-PSResource without the upload, so the same manifest checks and nuspec.
# PSResourceGet creates its repository store under the user's local application data on first use; the child pwsh
# gets a home under out/ so the user's store is never created or changed (on Windows that folder cannot be moved).
function Invoke-Package {
    Invoke-Build | Out-Host
    $repository = Join-Path $out 'repository'
    $null = New-Item -ItemType Directory $repository -Force
    Get-ChildItem $repository -Filter 'BoxFusion.*.nupkg' | Remove-Item
    $version = (Import-PowerShellDataFile (Join-Path $moduleDir 'BoxFusion.psd1')).ModuleVersion
    $isolatedHome = Join-Path $out 'package-home'
    $names = 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'
    $saved = @{}
    foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $pwsh = Get-PwshCommand
    try {
        if (-not $IsWindows) {
            # The folders must exist: .NET reports a missing special folder as '', and PSResourceGet would then
            # write its store relative to the current directory.
            $folders = @($isolatedHome, (Join-Path $isolatedHome '.local/share'), (Join-Path $isolatedHome '.config'), (Join-Path $isolatedHome '.cache'))
            foreach ($folder in $folders) { $null = New-Item -ItemType Directory $folder -Force }
            $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:XDG_CACHE_HOME = $folders
        }
        Invoke-Native 'Compress-PSResource' {
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; Compress-PSResource -Path '$moduleDir' -DestinationPath '$repository'"
        } | Out-Host
    }
    finally {
        foreach ($name in $names) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        if (Test-Path $isolatedHome) { Remove-Item $isolatedHome -Recurse -Force }
    }
    $package = Join-Path $repository "BoxFusion.$version.nupkg"
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Write-Host "Package ready: $package" -ForegroundColor Green
    $package
}

# The fuzz test's compiled library (mutations, oracle, case runner); its build copies it to out/fuzz, beside the
# module, never in it: tests/Fuzz/Fuzz.ps1 loads it with the engine of out/BoxFusion.
function Build-FuzzLibrary {
    Invoke-Native 'dotnet build (fuzz library)' { dotnet build (Join-Path $root 'tests/BoxFusion.Fuzz/BoxFusion.Fuzz.csproj') -c $Configuration --nologo -v quiet @msbuildProperties }
}

function Restore-Pester {
    $packages = Join-Path $out 'packages'
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) {
        Invoke-Native 'Pester restore' { dotnet restore (Join-Path $root 'tests/Pester/restore/Pester.Restore.csproj') --packages $packages --nologo -v quiet }
    }
    return $pester
}

function Invoke-Test {
    $package = Invoke-Package
    Write-Host 'Engine tests (xunit)...' -ForegroundColor Cyan
    $xunitLog = dotnet test (Join-Path $root 'tests/BoxFusion.Engine.Tests/BoxFusion.Engine.Tests.csproj') -c $Configuration --nologo @msbuildProperties 2>&1
    $xunitExit = $LASTEXITCODE
    $xunitLog | ForEach-Object { "$_" } | Where-Object { $_ -match 'Failed |Passed!|Failed!|error|\[FAIL\]' } | Write-Host
    $xunitPassed = 0; $xunitFailed = 0
    foreach ($line in $xunitLog) {
        if ("$line" -match 'Failed:\s*(\d+),\s*Passed:\s*(\d+)') { $xunitFailed += [int]$Matches[1]; $xunitPassed += [int]$Matches[2] }
    }
    if ($xunitExit -ne 0 -and $xunitFailed -eq 0) { $xunitFailed = 1; Write-Host ($xunitLog | Select-Object -Last 30 | Out-String) }

    Invoke-ToolsBuild
    Write-Host 'Cmdlet tests (Pester, in a child pwsh importing out/BoxFusion)...' -ForegroundColor Cyan
    Build-FuzzLibrary
    $pester = Restore-Pester
    $resultFile = Join-Path $out 'pester-result.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$result = Invoke-Pester -Configuration `$config
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } | ConvertTo-Json | Set-Content '$resultFile'
"@
    if (Test-Path $resultFile) { Remove-Item $resultFile }
    $pwsh = Get-PwshCommand
    $env:BOXFUSION_MODULE = $moduleDir
    $env:BOXFUSION_PACKAGE = $package
    $env:BOXFUSION_TOOLS = $toolsDir
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
    $pesterPassed = 0; $pesterFailed = 1
    if (Test-Path $resultFile) {
        $r = Get-Content $resultFile -Raw | ConvertFrom-Json
        $pesterPassed = $r.Passed; $pesterFailed = $r.Failed
    }
    Write-Host ''
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed"
    Write-Host "pester: $pesterPassed passed, $pesterFailed failed"
    Write-Host "total: $($xunitPassed + $pesterPassed) passed, $($xunitFailed + $pesterFailed) failed"
    if ($xunitFailed + $pesterFailed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Demo.ps1') -ModulePath $moduleDir -PictureFolder (Join-Path $root 'docs')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Benchmark {
    Invoke-Build
    Invoke-ToolsBuild
    $pwsh = Get-PwshCommand
    $arguments = @('-ModulePath', $moduleDir, '-Images', $Images)
    if ($Scaling) { $arguments += '-Scaling' }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Benchmark/Benchmark.ps1') @arguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Benchmark/Evaluation.ps1') -ModulePath $moduleDir -Images $Images
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    # Masks: the issue's synthetic segm ensemble (1000 images x 3 models), whatever -Images is.
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Benchmark/Masks.ps1') -ModulePath $moduleDir -Images 1000
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Benchmark/Pictures.ps1') -ModulePath $moduleDir
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Benchmark/Streaming.ps1') -ModulePath $moduleDir
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Fuzz {
    Invoke-Build
    Build-FuzzLibrary
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/Fuzz/Fuzz.ps1') -ModulePath $moduleDir -Cases $FuzzCases -SurfaceCases ([math]::Max(600, [int]($FuzzCases / 5)))
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' { $null = Invoke-Package }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Benchmark' { Invoke-Benchmark }
    'Fuzz' { Invoke-Fuzz }
}
